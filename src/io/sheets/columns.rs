//! The one table of sheets and columns: headers, synonyms, the story
//! file's field each stands for, help, example and width. Headers,
//! matching, widths, validation lists, the readme sheet and
//! `docs/sheets.md` are all made from it.

/// How a column's cells map to the story file's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An id, trimmed.
    Id,
    /// Free text, kept exactly as typed.
    Text,
    /// A word from a list or a reference, trimmed.
    Word,
    /// A time expression, trimmed.
    Time,
    /// Several ids or words, `;` or a line break between them.
    List,
    /// `to`: one entity, or several (then written as a list).
    Ends,
    /// `yes` / `no`: a citation's `paraphrase`.
    YesNo,
    /// A citation's source id (the `source` column: several bare ones, or
    /// the one the detail columns describe).
    CiteSource,
    /// A citation's detail field (`quote`, `locator`).
    CiteDetail,
}

/// What may be typed in a column, for a data validation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// Anything.
    Any,
    /// An entity kind (a warning otherwise: `organization` passes too).
    EntityKind,
    /// One of the four grades (refused otherwise).
    Certainty,
    /// `yes` or `no`.
    YesNo,
    /// An entity id (a warning otherwise: names pass too).
    Entity,
}

/// One column of a sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// The header written.
    pub header: &'static str,
    /// Other headers read as this one (the story file's own names).
    pub synonyms: &'static [&'static str],
    /// The field of the story file (for citation columns, of the citation).
    pub field: &'static str,
    /// How cells map to the field.
    pub kind: Kind,
    /// What may be typed.
    pub allowed: Allowed,
    /// Required on every row.
    pub required: bool,
    /// One line of help for the readme sheet and the docs.
    pub help: &'static str,
    /// An example value.
    pub example: &'static str,
    /// Width in characters.
    pub width: f64,
}

/// One sheet: a section of the story file.
#[derive(Debug, Clone, Copy)]
pub struct SheetDef {
    /// The tab's name (plural).
    pub name: &'static str,
    /// The story file's array this sheet holds (empty: not an array).
    pub section: &'static str,
    /// "one row per ...".
    pub row: &'static str,
    /// Its columns, left to right.
    pub columns: &'static [Column],
}

const fn col(
    header: &'static str,
    field: &'static str,
    kind: Kind,
    help: &'static str,
    example: &'static str,
) -> Column {
    let width = match kind {
        Kind::Id | Kind::Word | Kind::YesNo | Kind::CiteSource => 16.0,
        Kind::Time => 22.0,
        Kind::List | Kind::Ends => 28.0,
        Kind::Text | Kind::CiteDetail => 50.0,
    };
    Column {
        header,
        synonyms: &[],
        field,
        kind,
        allowed: Allowed::Any,
        required: false,
        help,
        example,
        width,
    }
}

const fn also(mut c: Column, synonyms: &'static [&'static str]) -> Column {
    c.synonyms = synonyms;
    c
}

const fn allowed(mut c: Column, a: Allowed) -> Column {
    c.allowed = a;
    c
}

const fn required(mut c: Column) -> Column {
    c.required = true;
    c
}

const fn width(mut c: Column, w: f64) -> Column {
    c.width = w;
    c
}

const ID: Column = required(col(
    "id",
    "id",
    Kind::Id,
    "a short unique id: no spaces at either end",
    "trump-jr",
));
const WHEN: Column = also(
    col(
        "when",
        "time",
        Kind::Time,
        "a time expression (see the when forms); blank: unknown",
        "2016-09-20/..",
    ),
    &["time", "date"],
);
const CERTAINTY: Column = allowed(
    col(
        "certainty",
        "certainty",
        Kind::Word,
        "confirmed, reported, alleged or unknown; blank: reported",
        "reported",
    ),
    Allowed::Certainty,
);
const SUMMARY: Column = col(
    "summary",
    "summary",
    Kind::Text,
    "what happened, in a sentence",
    "",
);
const QUOTE: Column = col(
    "quote",
    "quote",
    Kind::Text,
    "the words of the claim itself",
    "",
);
const SOURCE: Column = also(
    col(
        "source",
        "sources",
        Kind::CiteSource,
        "ids of the sources cited, ; between them; exactly one when a source passage, where in source or paraphrased is filled",
        "article",
    ),
    &["sources"],
);
const PASSAGE: Column = also(
    col(
        "source passage",
        "quote",
        Kind::CiteDetail,
        "the sentence of the source the claim rests on",
        "",
    ),
    &["passage"],
);
const LOCATOR: Column = also(
    col(
        "where in source",
        "locator",
        Kind::CiteDetail,
        "page, paragraph or timestamp in the source",
        "paragraph 2",
    ),
    &["locator"],
);
const PARAPHRASED: Column = allowed(
    also(
        col(
            "paraphrased",
            "paraphrase",
            Kind::YesNo,
            "yes: the source passage is your wording, never shown in quotation marks",
            "no",
        ),
        &["paraphrase"],
    ),
    Allowed::YesNo,
);

/// The readme sheet: regenerated on export, ignored on import.
pub const README: SheetDef = SheetDef {
    name: "readme",
    section: "",
    row: "line of help (ignored on import)",
    columns: &[
        width(
            col("topic", "", Kind::Text, "what the line is about", ""),
            24.0,
        ),
        width(col("explanation", "", Kind::Text, "the help", ""), 100.0),
    ],
};

/// The story sheet: one row per top-level setting.
pub const STORY: SheetDef = SheetDef {
    name: "story",
    section: "",
    row: "setting of the story (format, title, summary, timezone)",
    columns: &[
        width(
            col(
                "field",
                "",
                Kind::Id,
                "format, title, summary, timezone, or a field of your own",
                "timezone",
            ),
            16.0,
        ),
        width(
            col(
                "value",
                "",
                Kind::Text,
                "its value (a field of your own: as JSON)",
                "America/New_York",
            ),
            80.0,
        ),
    ],
};

/// The sheets of story sections, in the order they are written.
pub const SECTIONS: &[SheetDef] = &[
    SheetDef {
        name: "entities",
        section: "entities",
        row: "person, organisation or group",
        columns: &[
            ID,
            required(width(col("name", "name", Kind::Text, "the display name", "Donald Trump Jr."), 24.0)),
            allowed(
                col("kind", "kind", Kind::Word, "person, organisation, group or other; blank: other", "person"),
                Allowed::EntityKind,
            ),
            also(
                col("also known as", "aliases", Kind::List, "other names and handles, ; between them", "Trump Jr.; @DonaldJTrumpJr"),
                &["aliases"],
            ),
            col("description", "description", Kind::Text, "who they are", ""),
            col("tags", "tags", Kind::List, "free words, ; between them", "trump-family"),
            col("url", "url", Kind::Text, "a page about them", ""),
        ],
    },
    SheetDef {
        name: "events",
        section: "events",
        row: "dated contact",
        columns: &[
            ID,
            WHEN,
            col("kind", "kind", Kind::Word, "message, email, forward, call, meeting, post, publication, handover, other, or any word", "forward"),
            allowed(
                col("from", "from", Kind::Word, "directed: the sender (id, name or alias)", "trump-jr"),
                Allowed::Entity,
            ),
            col("to", "to", Kind::Ends, "directed: the receiver, or several, ; between them", "kushner; conway"),
            col("participants", "participants", Kind::List, "mutual: at least two entities, ; between them (leave from and to blank)", ""),
            SUMMARY,
            QUOTE,
            CERTAINTY,
            SOURCE,
            PASSAGE,
            LOCATOR,
            PARAPHRASED,
            col("carries", "carries", Kind::List, "ids of the messages this contact passed on, ; between them", "pac-tip"),
            col("after", "after", Kind::List, "ids of events this one came after, ; between them", ""),
        ],
    },
    SheetDef {
        name: "messages",
        section: "messages",
        row: "piece of information traced",
        columns: &[
            ID,
            col("title", "title", Kind::Text, "a short title", "The PAC website tip"),
            col("text", "text", Kind::Text, "the message's words", ""),
            allowed(
                col("origin", "origin", Kind::Word, "the entity that first held it (id, name or alias)", "wikileaks"),
                Allowed::Entity,
            ),
            WHEN,
            SOURCE,
            PASSAGE,
            LOCATOR,
            PARAPHRASED,
        ],
    },
    SheetDef {
        name: "holdings",
        section: "holdings",
        row: "claim that an entity had a message by some time",
        columns: &[
            ID,
            required(allowed(
                col("entity", "entity", Kind::Word, "who held it (id, name or alias)", "trump-jr"),
                Allowed::Entity,
            )),
            required(col("message", "message", Kind::Word, "the id of the message held", "pac-tip")),
            WHEN,
            CERTAINTY,
            SUMMARY,
            QUOTE,
            SOURCE,
            PASSAGE,
            LOCATOR,
            PARAPHRASED,
        ],
    },
    SheetDef {
        name: "relations",
        section: "relations",
        row: "standing tie (member of, family, adviser to)",
        columns: &[
            also(col("id", "id", Kind::Id, "an id (optional)", "kushner-family"), &[]),
            col("kind", "kind", Kind::Word, "member-of, employee-of, family, founder-of, adviser-to, ...", "family"),
            required(allowed(
                col("from", "from", Kind::Word, "one end (id, name or alias)", "kushner"),
                Allowed::Entity,
            )),
            required(col("to", "to", Kind::Word, "the other end (id, name or alias)", "trump")),
            col("label", "label", Kind::Text, "text to show", "son-in-law"),
            WHEN,
            CERTAINTY,
            SOURCE,
            PASSAGE,
            LOCATOR,
            PARAPHRASED,
        ],
    },
    SheetDef {
        name: "sources",
        section: "sources",
        row: "publication or document cited",
        columns: &[
            ID,
            col("title", "title", Kind::Text, "its title", ""),
            col("publisher", "publisher", Kind::Text, "who published it", "Business Insider"),
            col("author", "author", Kind::Text, "who wrote it", ""),
            col("published", "published", Kind::Time, "when it was published: a time expression", "2017-11-13"),
            col("url", "url", Kind::Text, "where to read it", ""),
            col(
                "reliability",
                "reliability",
                Kind::Text,
                "Admiralty reliability grade: A (completely reliable) to E (unreliable), F (cannot be judged)",
                "",
            ),
        ],
    },
    SheetDef {
        name: "citations",
        section: "",
        row: "further citation of a claim (after the ones on the claim's own row)",
        columns: &[
            required(col("claim", "", Kind::Id, "the id of the event, holding, message or relation", "trump-jr-forwards")),
            required(also(
                col("source", "source", Kind::CiteSource, "the id of the source cited", "article"),
                &[],
            )),
            PASSAGE,
            LOCATOR,
            PARAPHRASED,
        ],
    },
    SheetDef {
        name: "markers",
        section: "markers",
        row: "reference date (election day)",
        columns: &[
            ID,
            required(col("label", "label", Kind::Text, "what happened that day", "Election day")),
            required(WHEN),
        ],
    },
];

/// The last column of every section sheet: what plain cells cannot show.
pub const EXACT: &str = "exact";

/// The sheet of `name` as a tab may spell it: any case, singular or plural.
pub fn sheet_named(name: &str) -> Option<&'static SheetDef> {
    // `Workbook - events`: Google Sheets' name for a sheet's download.
    let n = name
        .rsplit(" - ")
        .next()
        .unwrap_or(name)
        .trim()
        .to_lowercase();
    std::iter::once(&README)
        .chain(std::iter::once(&STORY))
        .chain(SECTIONS)
        .find(|s| {
            n == s.name
                || n == s.name.trim_end_matches('s')
                || (s.name == "entities" && n == "entity")
        })
}

/// A header folded for matching: lower case, `_` and `-` as spaces.
pub fn fold(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The column of `sheet` a header names.
pub fn column_named<'a>(sheet: &'a SheetDef, header: &str) -> Option<&'a Column> {
    let h = fold(header);
    sheet
        .columns
        .iter()
        .find(|c| fold(c.header) == h || c.synonyms.iter().any(|s| fold(s) == h))
}

/// The entity kinds offered.
pub const ENTITY_KINDS: &[&str] = &["person", "organisation", "group", "other"];
/// The certainty grades.
pub const CERTAINTIES: &[&str] = &["confirmed", "reported", "alleged", "unknown"];

/// The `when` forms, for the readme and the input message.
pub const WHEN_FORMS: &[(&str, &str)] = &[
    ("2016", "the whole year"),
    ("2016-09", "the whole month"),
    ("2016-09-20", "that day"),
    ("2016-10-12T14:05", "that minute, in the story's timezone"),
    (
        "2016-10-12T18:05Z",
        "that minute in UTC (or an offset: -04:00)",
    ),
    (
        "2016-09-20/2016-10-07",
        "from the start of one to the end of the other",
    ),
    ("2016-09-20/..", "on or after, no later bound known"),
    ("../2016-10-07", "on or before, no earlier bound known"),
    ("2016-03~", "approximately (? uncertain, % both)"),
];
