//! The generator's own intermediate representation: plain data, already named, already ordered.
//!
//! [`crate::lower`] builds it from the OpenAPI document; [`crate::emit`] turns it into Rust. Nothing here refers
//! back to `openapiv3` types, so emitting never needs to resolve a `$ref` or invent a name.
//!
//! Invariant: every [`TypeId`] in the IR indexes [`Api::types`], and all collections are in a deterministic
//! order (the document's order, or sorted), so the emitted crate is a pure function of the spec.

use indexmap::{IndexMap, IndexSet};

/// The Cargo feature of schemas no operation reaches; it enables every area, since such a schema may refer to
/// any other.
pub const UNREFERENCED_FEATURE: &str = "unreferenced-schemas";

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Every generated type, component schemas first (in document order), then inline ones.
    pub types: Vec<NamedType>,
    /// Every operation, grouped by area in the order areas first appear.
    pub areas: IndexMap<String, Area>,
}

/// A group of operations behind one module and one Cargo feature.
#[derive(Debug, Clone)]
pub struct Area {
    /// Wire name of the area, also the Cargo feature name (`workflow-runs`).
    pub name: String,
    /// Module name (`workflow_runs`).
    pub module: String,
    /// The operations, in document order.
    pub operations: Vec<Operation>,
}

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// Where a generated type lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    /// `crate::models`, one file per type: a component schema.
    Models,
    /// The module of one operation, for inline schemas only that operation uses.
    Operation {
        /// Area module of the operation.
        area: String,
        /// Module of the operation inside its area.
        module: String,
    },
}

/// A type the generator emits under its own name.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// Rust name, unique in its home.
    pub name: String,
    /// Module (file) name for types in [`Home::Models`].
    pub module: String,
    /// Where the type is defined in the spec.
    pub pointer: String,
    /// Where it is emitted.
    pub home: Home,
    /// Documentation from `title`/`description`.
    pub docs: Docs,
    /// What it is.
    pub kind: TypeKind,
    /// Areas (Cargo features) whose operations reach this type, or [`UNREFERENCED_FEATURE`]; filled after
    /// lowering.
    pub areas: IndexSet<String>,
}

/// The shape of a [`NamedType`].
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Properties in document order.
        fields: Vec<Field>,
        /// Type of `additionalProperties`, if the object allows extra keys with a schema.
        additional: Option<Ty>,
    },
    /// A string enum; unknown values are kept by an extra variant.
    Enum {
        /// Known values in document order.
        variants: Vec<EnumVariant>,
    },
    /// `oneOf`/`anyOf`: one of several shapes, tried in order.
    Union {
        /// Alternatives in document order.
        variants: Vec<UnionVariant>,
    },
    /// A named schema that is just another type (`type: string` with a description).
    Alias(Ty),
}

/// A property of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust field name (snake case, not yet escaped; see [`crate::naming::ident_text`]).
    pub name: String,
    /// Its type, without the `Option` that `required`/`nullable` add.
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Documentation.
    pub docs: Docs,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A known value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Value on the wire.
    pub wire: String,
    /// Rust variant name.
    pub name: String,
}

/// An alternative of a `oneOf`/`anyOf`.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// Documentation.
    pub docs: Docs,
}

/// A type reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `type: string`.
    String,
    /// `type: string, format: date-time`.
    DateTime,
    /// `type: integer`, always 64-bit: GitHub ids outgrow 32 bits.
    Integer,
    /// `type: number`.
    Number,
    /// `type: boolean`.
    Boolean,
    /// A free-form value (`type: object` without properties, or no type at all).
    Json,
    /// Raw bytes: the body of a non-JSON, non-text media type (`application/octet-stream`, `application/zip`).
    Bytes,
    /// `type: array`.
    Array(Box<Ty>),
    /// An object whose keys are free and whose values share one schema.
    Map(Box<Ty>),
    /// A generated type.
    Named(TypeId),
}

/// Documentation carried from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// One-line summary (`summary` or `title`).
    pub summary: Option<String>,
    /// Longer Markdown text (`description`).
    pub description: Option<String>,
    /// Link to the documentation page, from `externalDocs`.
    pub url: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation: will become a request builder and a response parser.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` as in the spec (`actions/list-workflow-runs-for-repo`).
    pub id: String,
    /// Struct name of the request builder (`ListWorkflowRunsForRepo`).
    pub type_name: String,
    /// Module and method name (`list_workflow_runs_for_repo`).
    pub fn_name: String,
    /// Area (Cargo feature) it belongs to.
    pub area: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as in the spec (`/repos/{owner}/{repo}/actions/runs`).
    pub path: String,
    /// The template split at `/`; each segment is literal text, a parameter, or (as in `{base}...{head}`)
    /// several of them joined.
    pub segments: Vec<Vec<PathPart>>,
    /// Parameters: path ones in template order, then the others in document order.
    pub params: Vec<Param>,
    /// Request body, if any.
    pub body: Option<Body>,
    /// Documented responses in status order.
    pub responses: Vec<Response>,
    /// Name of the enum returned when more than one success status is documented.
    pub output_name: Option<String>,
    /// Summary, description, documentation link.
    pub docs: Docs,
    /// Where the operation is in the spec.
    pub pointer: String,
}

/// A piece of a path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// `{name}`, filled from the path parameter at this index of [`Operation::params`].
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// A query pair.
    Query,
    /// A request header.
    Header,
}

/// A parameter of an operation.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name (snake case, not yet escaped).
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Must be given (always true for path parameters).
    pub required: bool,
    /// Its type.
    pub ty: Ty,
    /// `default`, rendered as the wire text, for the docs.
    pub default: Option<String>,
    /// Documentation.
    pub docs: Docs,
}

/// How a body is written on the wire, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` or `…+json`: serde_json, typed by the schema.
    Json,
    /// `text/…`: a `String`, whatever the schema says.
    Text,
    /// Anything else: bytes as they are.
    Binary,
}

impl BodyEncoding {
    /// The encoding of a media type.
    pub fn of(media_type: &str) -> Self {
        let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") {
            BodyEncoding::Json
        } else if essence.starts_with("text/") {
            BodyEncoding::Text
        } else {
            BodyEncoding::Binary
        }
    }
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Media type sent as `Content-Type`.
    pub media_type: String,
    /// How it is written.
    pub encoding: BodyEncoding,
    /// Type of the body.
    pub ty: Ty,
    /// `required: true`.
    pub required: bool,
    /// Documentation.
    pub docs: Docs,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Variant name for this status (`Ok`, `Created`, `NoContent`, `Found`).
    pub name: String,
    /// `description`.
    pub description: String,
    /// JSON body, if documented.
    pub body: Option<ResponseBody>,
    /// Whether a `Location` header is documented (redirects).
    pub location: bool,
}

/// Body of a response.
#[derive(Debug, Clone)]
pub struct ResponseBody {
    /// Media type.
    pub media_type: String,
    /// How it is read.
    pub encoding: BodyEncoding,
    /// Its type.
    pub ty: Ty,
}

impl Response {
    /// 1xx–3xx: returned as the operation's output rather than as an error.
    pub fn is_success(&self) -> bool {
        self.status < 400
    }
}
