(function () {
  'use strict';
  var root = document.getElementById('gv-root');
  var dataNode = document.getElementById('gv-data');
  if (!root || !dataNode) return;
  var data;
  try { data = JSON.parse(dataNode.textContent); } catch (err) { return; }
  var entities = new Map(), events = new Map();
  (data.entities || []).forEach(function (e) { entities.set(e.id, e); });
  (data.events || []).forEach(function (e) { events.set(e.id, e); });
  var reduced = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  // Dates in the story's zone, at day precision: 21 Sep 2016.
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var format;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: data.zone, year: 'numeric', month: 'numeric', day: 'numeric' });
  } catch (err) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
  }
  function dateLabel(t) {
    var parts = {};
    format.formatToParts(new Date(t * 1000)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + ' ' + MONTHS[Number(parts.month) - 1] + ' ' + parts.year;
  }

  // The contract: a person is `surely` by T if their definite time on a
  // confirmed chain is at most T, `claimed` if their definite time at the
  // question's threshold is, `possible` if their earliest is, else
  // `unreached`.
  function stateAt(e, t) {
    if (!e || !e.reached) return 'unreached';
    if (e.surely !== null && e.surely !== undefined && e.surely <= t) return 'surely';
    if (e.claimed !== null && e.claimed !== undefined && e.claimed <= t) return 'claimed';
    if (e.earliest === null || e.earliest === undefined || e.earliest <= t) return 'possible';
    return 'unreached';
  }
  function contactAt(e, t) {
    if (!e || e.lo === null || e.lo === undefined || e.lo <= t) return 'open';
    return 'not-yet';
  }

  var slider = document.getElementById('gv-time');
  var controls = root.querySelector('.gv-controls');
  var output = root.querySelector('.gv-date');
  var live = root.querySelector('.gv-live');
  var play = root.querySelector('.gv-play');
  var time = data.time;
  var marks = (time && time.markers) || [];
  var liveTimer = null;

  function apply(t, announce) {
    var counts = { surely: 0, claimed: 0, possible: 0, unreached: 0 };
    entities.forEach(function (e) { if (e.reached) counts[stateAt(e, t)] += 1; });
    root.querySelectorAll('[data-entity]').forEach(function (el) {
      el.setAttribute('data-state', stateAt(entities.get(el.getAttribute('data-entity')), t));
    });
    root.querySelectorAll('[data-event]').forEach(function (el) {
      el.setAttribute('data-state', contactAt(events.get(el.getAttribute('data-event')), t));
    });
    var label = dateLabel(t);
    // A marker on that day is named beside the date.
    marks.forEach(function (m) { if (dateLabel(m.t) === label) label += ' · ' + m.label; });
    if (output) output.textContent = label;
    if (slider) slider.setAttribute('aria-valuetext', label);
    if (announce && live) {
      clearTimeout(liveTimer);
      liveTimer = setTimeout(function () {
        live.textContent = 'By ' + label + ': ' + counts.surely + ' surely had it, ' +
          counts.claimed + ' had it if the contacts reported happened, ' +
          counts.possible + ' could have seen it, ' + counts.unreached + ' not yet.';
      }, 250);
    }
  }

  if (time && slider && controls) {
    slider.min = String(time.min);
    slider.max = String(time.max);
    slider.value = String(time.max);
    controls.hidden = false;
    var stops = time.stops || [time.min, time.max];
    showMarkers();
    var next = function (v, dir) {
      var found = dir > 0 ? time.max : time.min;
      for (var i = 0; i < stops.length; i++) {
        var s = stops[dir > 0 ? i : stops.length - 1 - i];
        if (dir > 0 ? s > v : s < v) { found = s; break; }
      }
      return found;
    };
    var setValue = function (v) {
      slider.value = String(v);
      apply(Number(slider.value), true);
    };
    slider.addEventListener('input', function () { apply(Number(slider.value), true); });
    slider.addEventListener('change', function () { apply(Number(slider.value), true); });
    slider.addEventListener('keydown', function (ev) {
      var v = Number(slider.value);
      var key = ev.key;
      if (key === 'ArrowRight' || key === 'ArrowUp' || key === 'PageUp') { setValue(next(v, 1)); }
      else if (key === 'ArrowLeft' || key === 'ArrowDown' || key === 'PageDown') { setValue(next(v, -1)); }
      else if (key === 'Home') { setValue(time.min); }
      else if (key === 'End') { setValue(time.max); }
      else { return; }
      ev.preventDefault();
    });
    function showMarkers() {
      var list = root.querySelector('.gv-markers');
      if (!marks.length || !list) return;
      // Ticks on the slider (a datalist) and a button per marker that
      // moves the slider to it; labels go in text nodes only.
      var ticks = document.createElement('datalist');
      ticks.id = 'gv-marks';
      list.appendChild(document.createTextNode('Dates to know: '));
      marks.forEach(function (m, i) {
        var o = document.createElement('option');
        o.value = String(m.t);
        o.label = m.label;
        ticks.appendChild(o);
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'gv-marker';
        b.setAttribute('data-marker', String(i));
        b.textContent = m.label + ', ' + m.date;
        b.addEventListener('click', function () { setValue(m.t); });
        list.appendChild(b);
      });
      list.appendChild(ticks);
      slider.setAttribute('list', 'gv-marks');
      list.hidden = false;
    }
    var timer = null;
    var stop = function () {
      clearInterval(timer);
      timer = null;
      play.textContent = 'Play';
      play.setAttribute('aria-pressed', 'false');
    };
    play.addEventListener('click', function () {
      if (timer) { stop(); return; }
      if (Number(slider.value) >= time.max) setValue(time.min);
      play.textContent = 'Pause';
      play.setAttribute('aria-pressed', 'true');
      timer = setInterval(function () {
        var v = next(Number(slider.value), 1);
        setValue(v);
        if (v >= time.max) stop();
      }, reduced ? 1600 : 900);
    });
    apply(time.max, false);
  }

  // The card: hover, tap or focus on a person or a contact.
  var card = root.querySelector('.gv-card');
  var figure = root.querySelector('.gv-figure');
  var current = null;
  function add(dl, term, value) {
    if (value === null || value === undefined || value === '') return;
    var dt = document.createElement('dt');
    dt.textContent = term;
    var dd = document.createElement('dd');
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }
  function safeUrl(u) {
    return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null;
  }
  function fill(el) {
    var title = card.querySelector('.gv-card-title');
    var dl = card.querySelector('.gv-card-facts');
    var quote = card.querySelector('.gv-card-quote');
    var link = card.querySelector('.gv-card-link');
    while (dl.firstChild) dl.removeChild(dl.firstChild);
    quote.hidden = true;
    link.hidden = true;
    link.removeAttribute('href');
    var id = el.getAttribute('data-entity');
    if (id !== null) {
      var e = entities.get(id);
      if (!e) return false;
      title.textContent = e.name + ' (' + e.kind + ')';
      if (e.reached) {
        add(dl, 'Could have it from', e.from);
        add(dl, 'Had it by', e.by);
        add(dl, 'Evidence', e.evidence);
        add(dl, 'Resting on', e.rests_on);
        add(dl, 'Through whom', e.chain);
      } else {
        add(dl, 'Reached', 'no');
      }
      if (e.description) { quote.textContent = e.description; quote.hidden = false; }
      var eu = safeUrl(e.url);
      if (eu) { link.href = eu; link.textContent = 'More about ' + e.name; link.hidden = false; }
      return true;
    }
    var ev = events.get(el.getAttribute('data-event'));
    if (!ev) return false;
    title.textContent = ev.title;
    add(dl, 'Date', ev.date);
    add(dl, 'Certainty', ev.certainty);
    if (ev.quote) { quote.textContent = '“' + ev.quote + '”'; quote.hidden = false; }
    var u = safeUrl(ev.url);
    if (u) { link.href = u; link.textContent = ev.source || 'Source'; link.hidden = false; }
    else if (ev.source) add(dl, 'Source', ev.source);
    return true;
  }
  function show(el) {
    if (!card || !fill(el)) return;
    current = el;
    card.hidden = false;
    var fr = figure.getBoundingClientRect();
    var r = el.getBoundingClientRect();
    var width = Math.min(320, fr.width - 16);
    card.style.width = width + 'px';
    var left = Math.max(8, Math.min(r.left - fr.left, fr.width - width - 8));
    card.style.left = left + 'px';
    card.style.top = Math.max(0, r.bottom - fr.top + 6) + 'px';
  }
  function hide(refocus) {
    if (!card || card.hidden) return;
    card.hidden = true;
    if (refocus && current) current.focus();
    current = null;
  }
  function target(node) {
    while (node && node !== root) {
      if (node.getAttribute && (node.hasAttribute('data-event') || node.hasAttribute('data-entity')) &&
          node.closest('svg')) return node;
      node = node.parentNode;
    }
    return null;
  }
  if (figure && card) {
    figure.addEventListener('mouseover', function (ev) { var t = target(ev.target); if (t && t !== current) show(t); });
    figure.addEventListener('click', function (ev) { var t = target(ev.target); if (t) show(t); });
    figure.addEventListener('focusin', function (ev) { var t = target(ev.target); if (t) show(t); });
    figure.addEventListener('focusout', function (ev) {
      var to = ev.relatedTarget;
      if (!to || (!card.contains(to) && !target(to))) hide(false);
    });
    figure.addEventListener('keydown', function (ev) {
      var t = target(ev.target);
      if (t && (ev.key === 'Enter' || ev.key === ' ')) {
        show(t);
        var link = card.querySelector('.gv-card-link:not([hidden])') || card.querySelector('.gv-card-close');
        link.focus();
        ev.preventDefault();
      }
    });
    figure.addEventListener('mouseleave', function () {
      if (!figure.contains(document.activeElement)) hide(false);
    });
    card.querySelector('.gv-card-close').addEventListener('click', function () { hide(true); });
    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') hide(card.contains(document.activeElement));
    });
  }
  root.setAttribute('data-ready', 'true');

  // In an iframe: tell the parent page our height.
  if (window.parent !== window) {
    var last = 0;
    var post = function () {
      var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (h !== last) {
        last = h;
        window.parent.postMessage({ type: 'grapevine:height', height: h }, '*');
      }
    };
    window.addEventListener('load', post);
    if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
    post();
  }
})();
