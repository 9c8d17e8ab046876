//! Stage 3: [`crate::ir::Api`] → the files of the generated crate.
//!
//! Layout (paths relative to the crate root):
//!
//! - `src/lib.rs`: crate docs and module declarations;
//! - `src/models/mod.rs` and one `src/models/<type>.rs` per component schema, each behind the Cargo features
//!   of the areas that reach it;
//! - `src/operations/mod.rs`, one `src/operations/<area>/mod.rs` per area (behind the area's feature) and one
//!   `src/operations/<area>/<operation>.rs` per operation, holding its request builder, the types only it
//!   uses, and its response parser.
//!
//! Every file starts with a `//!` line saying it is generated and by which command, and is formatted in-process
//! by prettyplease. `src/runtime/` is hand-written and not touched.

mod client;
mod docs;
mod manifest;
mod model;
mod operation;

use indexmap::{IndexMap, IndexSet};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Api, Area, Home, Operation, Ty, TypeId};
use crate::naming;
use crate::Config;

pub use manifest::{splice_features, ALL_AREAS_FEATURE, FEATURES_MARKER};

/// The emitted crate: file contents by path relative to the crate root, and its Cargo features.
#[derive(Debug, Clone, Default)]
pub struct GeneratedCrate {
    /// `src/...` path → file contents, in a deterministic order.
    pub files: IndexMap<String, String>,
    /// Cargo features, one per area in area order, then [`crate::ir::UNREFERENCED_FEATURE`] if any schema is
    /// reached by no operation.
    pub features: Vec<String>,
}

/// One file to emit.
enum FileJob<'a> {
    Lib,
    Macros,
    Model(TypeId),
    ModelsMod(Vec<TypeId>),
    Operation(&'a Operation),
    AreaMod(&'a Area),
    OperationsMod,
}

/// Emits every file of the crate.
///
/// Files are independent once the IR is built, so they are rendered (quote → syn → prettyplease) on all cores;
/// the result is collected in a fixed order, so it does not depend on the number of threads.
pub fn emit(api: &Api, config: &Config) -> Result<GeneratedCrate, Diagnostics> {
    let context = Context::new(api, config);
    let mut jobs: Vec<(String, FileJob<'_>)> =
        vec![("src/lib.rs".to_owned(), FileJob::Lib), ("src/macros.rs".to_owned(), FileJob::Macros)];
    let models: Vec<TypeId> =
        (0..api.types.len()).map(TypeId).filter(|id| api.types[id.0].home == Home::Models).collect();
    for &id in &models {
        jobs.push((format!("src/models/{}.rs", api.types[id.0].module), FileJob::Model(id)));
    }
    jobs.push(("src/models/mod.rs".to_owned(), FileJob::ModelsMod(models)));
    for area in api.areas.values() {
        for op in &area.operations {
            jobs.push((format!("src/operations/{}/{}.rs", area.module, op.fn_name), FileJob::Operation(op)));
        }
        jobs.push((format!("src/operations/{}/mod.rs", area.module), FileJob::AreaMod(area)));
    }
    jobs.push(("src/operations/mod.rs".to_owned(), FileJob::OperationsMod));

    let render = |job: &FileJob<'_>| {
        let (doc, tokens) = match job {
            FileJob::Lib => emit_lib(&context),
            FileJob::Macros => emit_macros(&context),
            FileJob::Model(id) => model::emit_model_file(&context, *id),
            FileJob::ModelsMod(models) => emit_models_mod(&context, models),
            FileJob::Operation(op) => operation::emit_operation_file(&context, op),
            FileJob::AreaMod(area) => operation::emit_area_mod(&context, area),
            FileJob::OperationsMod => emit_operations_mod(&context),
        };
        render_file(&context, &doc, tokens)
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8).min(jobs.len().max(1));
    let mut rendered: Vec<Option<Result<String, String>>> = Vec::new();
    rendered.resize_with(jobs.len(), || None);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let jobs = &jobs;
                let render = &render;
                scope.spawn(move || {
                    // Interleaved so large and small files spread evenly.
                    (worker..jobs.len())
                        .step_by(threads)
                        .map(|index| (index, render(&jobs[index].1)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            // A panic in a worker is a generator bug; surface it as one.
            for (index, result) in worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)) {
                rendered[index] = Some(result);
            }
        }
    });

    let mut files = IndexMap::new();
    let mut problems = Vec::new();
    for ((path, _), result) in jobs.into_iter().zip(rendered) {
        match result.unwrap_or_else(|| Err("not rendered".to_owned())) {
            Ok(text) => {
                files.insert(path, text);
            }
            Err(message) => problems.push(Diagnostic {
                pointer: "#".to_owned(),
                subject: Some(path),
                message: format!("internal error: the generated code does not parse: {message}"),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let mut features: Vec<String> = api.areas.keys().cloned().collect();
    if api.types.iter().any(|named| named.areas.contains(crate::ir::UNREFERENCED_FEATURE)) {
        features.push(crate::ir::UNREFERENCED_FEATURE.to_owned());
    }
    Ok(GeneratedCrate { files, features })
}

/// What every emitter needs to look up: the IR, the config, and which fields must be boxed.
pub(crate) struct Context<'a> {
    pub api: &'a Api,
    pub config: &'a Config,
    /// `(type, index of field or variant)` pairs that close a cycle of direct containment and so are boxed.
    boxed: IndexSet<(TypeId, usize)>,
    /// Types callers build and send (parameters, request bodies and what they contain).
    inputs: IndexSet<TypeId>,
    /// Types defined in each operation's module, by `(area, operation module)`.
    local: IndexMap<(String, String), Vec<TypeId>>,
    all_areas: IndexSet<String>,
}

impl<'a> Context<'a> {
    fn new(api: &'a Api, config: &'a Config) -> Self {
        Context {
            api,
            config,
            boxed: cycles::boxed_members(api),
            inputs: input_types(api),
            local: local_types(api),
            all_areas: api.areas.keys().cloned().collect(),
        }
    }

    /// Types that live in the module of operation `module` of `area`.
    pub fn local_types(&self, area: &str, module: &str) -> &[TypeId] {
        self.local.get(&(area.to_owned(), module.to_owned())).map_or(&[], Vec::as_slice)
    }

    /// Whether callers build values of this type to send.
    pub fn is_input(&self, id: TypeId) -> bool {
        self.inputs.contains(&id)
    }

    /// Whether member `index` of type `id` is stored in a `Box` to break a cycle.
    pub fn is_boxed(&self, id: TypeId, index: usize) -> bool {
        self.boxed.contains(&(id, index))
    }

    /// The Rust type for a type reference, with full paths.
    pub fn ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::String => quote!(String),
            Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
            Ty::Integer => quote!(i64),
            Ty::Number => quote!(f64),
            Ty::Boolean => quote!(bool),
            Ty::Json => quote!(serde_json::Value),
            Ty::Bytes => quote!(Vec<u8>),
            Ty::Array(item) => {
                let item = self.ty(item);
                quote!(Vec<#item>)
            }
            Ty::Map(value) => {
                let value = self.ty(value);
                quote!(std::collections::BTreeMap<String, #value>)
            }
            Ty::Named(id) => self.type_path(*id),
        }
    }

    /// Full path of a generated type.
    pub fn type_path(&self, id: TypeId) -> TokenStream {
        let named = &self.api.types[id.0];
        let name = format_ident!("{}", named.name);
        match &named.home {
            Home::Models => quote!(crate::models::#name),
            Home::Operation { area, .. } => {
                let area = ident(&self.api.areas[area].module);
                quote!(crate::operations::#area::#name)
            }
        }
    }

    /// `#[cfg(...)]` for an item reached by `areas`, or nothing if every area reaches it (or none does).
    pub fn cfg_for(&self, areas: &IndexSet<String>) -> TokenStream {
        if areas.is_empty() || self.all_areas.iter().all(|area| areas.contains(area)) {
            return TokenStream::new();
        }
        let features = areas.iter();
        if areas.len() == 1 {
            quote!(#[cfg(feature = #(#features)*)])
        } else {
            quote!(#[cfg(any(#(feature = #features),*))])
        }
    }

    /// The `//!` line every generated file starts with.
    pub fn generated_notice(&self) -> String {
        format!(
            "Generated by `{}` from `{}`. Do not edit: change the spec and regenerate.",
            self.config.command, self.config.spec_path
        )
    }
}

/// An identifier from a snake-case name, escaping keywords.
pub(crate) fn ident(name: &str) -> TokenStream {
    naming::ident_text(name).parse().unwrap_or_else(|_| quote!(invalid_identifier))
}

fn render_file(context: &Context<'_>, module_doc: &str, tokens: TokenStream) -> Result<String, String> {
    let notice = context.generated_notice();
    let header = docs::inner_doc_attrs(&format!("{notice}\n\n{module_doc}"));
    let file: syn::File = syn::parse2(quote!(#header #tokens)).map_err(|err| err.to_string())?;
    Ok(prettyplease::unparse(&file))
}

fn emit_lib(context: &Context<'_>) -> (String, TokenStream) {
    let api = context.api;
    let operation_count: usize = api.areas.values().map(|area| area.operations.len()).sum();
    let doc = format!(
        "{title} (version {version}): a typed client.\n\n\
         {operation_count} operations in {area_count} areas. Each operation is a request builder in \
         [`operations`] that turns into an [`http::Request`] without doing I/O, and parses an \
         [`http::Response`] into the type GitHub documents for each status; the schemas it uses are in \
         [`models`]. Each area is behind a Cargo feature of the same name; all are enabled by default.\n\n\
         With the `client` feature (on by default), `Client` sends them: one method per operation, named after \
         its `operationId`, returns a call whose optional parameters are methods, then `.send().await`; \
         operations GitHub paginates also stream their items across pages (see [`runtime`]).",
        title = api.title,
        version = api.version,
        area_count = api.areas.len(),
    );
    let tokens = quote! {
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
        #![cfg_attr(docsrs, feature(doc_auto_cfg))]

        // Generated modules are formatted by the generator (prettyplease); rustfmt would only reflow them.
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        pub mod runtime;
        #[rustfmt::skip]
        mod macros;

        pub use runtime::{BaseUrl, Error, Operation, Redirect};
        #[cfg(feature = "client")]
        pub use runtime::{Call, Client, ClientBuilder, RetryPolicy};
    };
    (doc, tokens)
}

/// `src/macros.rs`: macros that hand every operation (or every paginated one) to a macro of the caller's.
fn emit_macros(context: &Context<'_>) -> (String, TokenStream) {
    let for_each_operation = emit_for_each_operation(context);
    let for_each_paginated = client::emit_paginated_macro(context);
    let doc = "Macros over the operations (exported at the crate root).".to_owned();
    (doc, quote!(#for_each_operation #for_each_paginated))
}

/// `for_each_operation!(callback)`: hands every operation type to a macro of the caller's, so code that must
/// cover every operation (dispatch tables, tests) is derived from the spec instead of kept by hand.
fn emit_for_each_operation(context: &Context<'_>) -> TokenStream {
    let paths = context.api.areas.values().flat_map(|area| {
        let module = ident(&area.module);
        area.operations.iter().map(move |op| {
            let name = format_ident!("{}", op.type_name);
            quote!($crate::operations::#module::#name)
        })
    });
    let features = context.api.areas.keys();
    let krate = &context.config.crate_name;
    let doc = docs::lines_to_attrs(&format!(
        "Calls `callback! {{ path::to::Operation, … }}` with every operation of the crate, in spec order.\n\n\
         Available when every area feature is enabled (the default).\n\n\
         ```\n\
         macro_rules! count {{\n    ($($operation:path),* $(,)?) => {{ [$(<$operation as {krate}::Operation>::ID),*].len() }};\n}}\n\
         assert!({krate}::for_each_operation!(count) > 0);\n\
         ```"
    ));
    quote! {
        #doc
        #[cfg(all(#(feature = #features),*))]
        #[macro_export]
        macro_rules! for_each_operation {
            ($callback:ident) => {
                $callback! { #(#paths),* }
            };
        }
    }
}

fn emit_models_mod(context: &Context<'_>, models: &[TypeId]) -> (String, TokenStream) {
    let items = models.iter().map(|&id| {
        let named = &context.api.types[id.0];
        let module = ident(&named.module);
        let name = format_ident!("{}", named.name);
        let cfg = context.cfg_for(&named.areas);
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use #module::#name;
        }
    });
    let doc = "The schemas of the API: request and response bodies shared by operations.".to_owned();
    (doc, quote!(#(#items)*))
}

fn emit_operations_mod(context: &Context<'_>) -> (String, TokenStream) {
    let items = context.api.areas.values().map(|area| {
        let module = ident(&area.module);
        let feature = &area.name;
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let doc = "Every operation, one module per API area (each behind the Cargo feature of the same name).".to_owned();
    (doc, quote!(#(#items)*))
}

fn local_types(api: &Api) -> IndexMap<(String, String), Vec<TypeId>> {
    let mut local: IndexMap<(String, String), Vec<TypeId>> = IndexMap::new();
    for (index, named) in api.types.iter().enumerate() {
        if let Home::Operation { area, module } = &named.home {
            local.entry((area.clone(), module.clone())).or_default().push(TypeId(index));
        }
    }
    local
}

/// Every type reachable from a parameter or a request body.
fn input_types(api: &Api) -> IndexSet<TypeId> {
    let mut stack = Vec::new();
    for operation in api.areas.values().flat_map(|area| &area.operations) {
        for ty in operation.params.iter().map(|param| &param.ty).chain(operation.body.iter().map(|body| &body.ty)) {
            crate::lower::named_in(ty, &mut stack);
        }
    }
    let mut inputs = IndexSet::new();
    while let Some(id) = stack.pop() {
        if inputs.insert(id) {
            for ty in crate::lower::referenced_types(&api.types[id.0].kind) {
                crate::lower::named_in(ty, &mut stack);
            }
        }
    }
    inputs
}

/// Which struct fields and union variants need a `Box` because they contain their own type.
mod cycles {
    use indexmap::IndexSet;

    use crate::ir::{Api, Ty, TypeId, TypeKind};

    /// Members `(type, index)` whose type is in the same strongly connected component of the
    /// "contains directly" graph (arrays and maps already allocate, so they do not count).
    pub fn boxed_members(api: &Api) -> IndexSet<(TypeId, usize)> {
        let edges: Vec<Vec<TypeId>> =
            api.types.iter().map(|named| direct_members(&named.kind).into_iter().flatten().collect()).collect();
        let component = strongly_connected(&edges);
        let mut boxed = IndexSet::new();
        for (index, named) in api.types.iter().enumerate() {
            for (member, target) in direct_members(&named.kind).into_iter().enumerate() {
                if let Some(target) = target {
                    if component[target.0] == component[index] {
                        boxed.insert((TypeId(index), member));
                    }
                }
            }
        }
        boxed
    }

    /// For each member of a type (field or variant, in order), the named type it contains directly, if any.
    fn direct_members(kind: &TypeKind) -> Vec<Option<TypeId>> {
        let direct = |ty: &Ty| match ty {
            Ty::Named(id) => Some(*id),
            _ => None,
        };
        match kind {
            TypeKind::Struct { fields, .. } => fields.iter().map(|field| direct(&field.ty)).collect(),
            TypeKind::Union { variants } => variants.iter().map(|variant| direct(&variant.ty)).collect(),
            TypeKind::Alias(ty) => vec![direct(ty)],
            TypeKind::Enum { .. } => Vec::new(),
        }
    }

    /// Tarjan's algorithm, iterative so deep schemas cannot overflow the stack. Returns a component number per
    /// node.
    fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
        let n = edges.len();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut component = vec![usize::MAX; n];
        let mut stack = Vec::new();
        let mut next_index = 0;
        let mut next_component = 0;
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            while let Some(&mut (node, ref mut child)) = work.last_mut() {
                if *child == 0 && index[node] == usize::MAX {
                    index[node] = next_index;
                    low[node] = next_index;
                    next_index += 1;
                    stack.push(node);
                    on_stack[node] = true;
                }
                if let Some(&TypeId(next)) = edges[node].get(*child) {
                    *child += 1;
                    if index[next] == usize::MAX {
                        work.push((next, 0));
                    } else if on_stack[next] {
                        low[node] = low[node].min(index[next]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component[member] = next_component;
                        if member == node {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
        component
    }
}
