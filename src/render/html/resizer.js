(function () {
  var frame = document.currentScript && document.currentScript.previousElementSibling;
  if (!frame || frame.tagName !== 'IFRAME') return;
  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow) return;
    var d = event.data;
    if (d && d.type === 'grapevine:height' && typeof d.height === 'number' && d.height > 0 && d.height < 100000) {
      frame.style.height = Math.ceil(d.height) + 'px';
    }
  });
})();
