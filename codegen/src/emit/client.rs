//! What the `client` feature adds to each operation, and what every operation gets for generic callers.
//!
//! Per operation (in its own file):
//!
//! - a method on `crate::Client` named after the operation, taking the required parameters (so they cannot be
//!   forgotten) and returning a `crate::runtime::Call`;
//! - one method per optional parameter (and optional body) on that `Call`, delegating to the request builder's
//!   setter, so calls read `client.list_workflow_runs_for_repo("o", "r").branch("main").send()`;
//! - for operations GitHub paginates, `impl crate::runtime::Paginated`: the item type and how to take a page's
//!   items out of the response (see [`pagination`]);
//! - `serde::Deserialize` for the request builder, from an object of its parameters by wire name (and `body`),
//!   so code that covers every operation (replaying recorded calls, the spec-driven tests) can build one from
//!   data.
//!
//! In `lib.rs`: the `Client` re-exports and `for_each_paginated_operation!`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, lines_to_attrs, sanitize};
use super::operation::param_doc;
use super::{ident, Context};
use crate::ir::{Docs, Field, Operation, Param, ParamLocation, Ty, TypeKind};

/// How an operation's pages are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The type of one item.
    pub item: Ty,
    /// Where the items are in the `200` body.
    pub items: Items,
}

/// Where a page's items are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    /// The body is the array.
    Body,
    /// The body is GitHub's wrapper object: the items are in this array property (Rust name, whether it is an
    /// `Option`), next to `total_count` if it has one (Rust name, whether it is an `Option`).
    Field {
        /// Rust name and optionality of the array property.
        items: (String, bool),
        /// `total_count`, if the wrapper has one.
        total_count: Option<Total>,
    },
}

/// The `total_count` property of a wrapper object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// Rust name.
    pub field: String,
    /// Whether it is an `Option`.
    pub optional: bool,
    /// Whether the spec declares it `type: number` (an `f64`) rather than `integer`.
    pub float: bool,
}

/// Whether GitHub paginates `op`, derived from the spec: it takes a `page` or `per_page` query parameter and its
/// only success response is a `200` whose body is an array, or an object with exactly one array property (the
/// items; an integer `total_count` beside it is the total across pages). Anything else is not treated as
/// paginated, so an ambiguous wrapper never guesses which list to follow.
pub fn pagination(context: &Context<'_>, op: &Operation) -> Option<Pagination> {
    let takes_pages = op
        .params
        .iter()
        .any(|param| param.location == ParamLocation::Query && matches!(param.wire.as_str(), "page" | "per_page"));
    let successes: Vec<_> = op.responses.iter().filter(|response| response.is_success()).collect();
    let [only] = successes.as_slice() else {
        return None;
    };
    if !takes_pages || only.status != 200 || op.output_name.is_some() {
        return None;
    }
    let body = &only.body.as_ref()?.ty;
    match resolve(context, body) {
        Ty::Array(item) => Some(Pagination { item: (**item).clone(), items: Items::Body }),
        Ty::Named(id) => {
            let TypeKind::Struct { fields, .. } = &context.api.types[id.0].kind else {
                return None;
            };
            let arrays: Vec<&Field> =
                fields.iter().filter(|field| matches!(resolve(context, &field.ty), Ty::Array(_))).collect();
            let [items] = arrays.as_slice() else {
                return None;
            };
            let Ty::Array(item) = resolve(context, &items.ty) else {
                return None;
            };
            let total_count = fields.iter().find(|field| field.wire == "total_count").and_then(|field| {
                match resolve(context, &field.ty) {
                    Ty::Integer => Some(Total { field: field.name.clone(), optional: field.optional(), float: false }),
                    // Some wrappers declare `type: number`; the count is still whole.
                    Ty::Number => Some(Total { field: field.name.clone(), optional: field.optional(), float: true }),
                    _ => None,
                }
            });
            Some(Pagination {
                item: (**item).clone(),
                items: Items::Field { items: (items.name.clone(), items.optional()), total_count },
            })
        }
        _ => None,
    }
}

/// Follows aliases (`type: array` with a name of its own) to the type they stand for.
fn resolve<'a>(context: &'a Context<'_>, ty: &'a Ty) -> &'a Ty {
    let mut ty = ty;
    for _ in 0..context.api.types.len() {
        match ty {
            Ty::Named(id) => match &context.api.types[id.0].kind {
                TypeKind::Alias(target) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// `#[serde(rename = "…")]` for a request-builder field whose Rust name differs from the wire name.
pub fn wire_rename(param: &Param) -> TokenStream {
    if crate::naming::ident_text(&param.name).trim_start_matches("r#") == param.wire {
        return TokenStream::new();
    }
    let wire = &param.wire;
    quote!(#[serde(rename = #wire)])
}

/// The doc paragraph and attributes that make a request builder deserializable from its parameters.
pub fn deserialize_attrs() -> TokenStream {
    let doc = lines_to_attrs(
        "\nDeserializes from an object of its parameters by wire name, with the request body under `body`, so \
         an operation can be built from data.",
    );
    quote! {
        #doc
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
    }
}

/// The items the `client` feature and pagination add to an operation's file.
pub fn emit_operation_client(context: &Context<'_>, op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.type_name);
    let pagination = pagination(context, op);
    let method = emit_client_method(context, op, pagination.is_some());
    let setters = emit_call_setters(context, op);
    let paginated = pagination.map(|pagination| {
        let item = context.ty(&pagination.item);
        let page = match &pagination.items {
            Items::Body => quote!(crate::runtime::Page::new(output, None)),
            Items::Field { items, total_count } => {
                let field = ident(&items.0);
                let items = if items.1 { quote!(output.#field.unwrap_or_default()) } else { quote!(output.#field) };
                let total = match total_count {
                    Some(Total { field, optional, float }) => {
                        let field = ident(field);
                        match (optional, float) {
                            (false, false) => quote!(Some(output.#field)),
                            (true, false) => quote!(output.#field),
                            (false, true) => quote!(Some(output.#field as i64)),
                            (true, true) => quote!(output.#field.map(|total| total as i64)),
                        }
                    }
                    None => quote!(None),
                };
                quote!(crate::runtime::Page::new(#items, #total))
            }
        };
        quote! {
            impl crate::runtime::Paginated for #name {
                type Item = #item;

                fn into_page(output: Self::Output) -> crate::runtime::Page<Self::Item> {
                    #page
                }
            }
        }
    });
    quote! {
        #method
        #setters
        #paginated
    }
}

fn emit_client_method(context: &Context<'_>, op: &Operation, paginated: bool) -> TokenStream {
    let type_name = format_ident!("{}", op.type_name);
    let method = ident(&op.fn_name);
    let required: Vec<&Param> = op.params.iter().filter(|param| param.required).collect();
    let mut args: Vec<TokenStream> = required
        .iter()
        .map(|param| {
            let name = ident(&param.name);
            let ty = context.ty(&param.ty);
            quote!(#name: impl Into<#ty>)
        })
        .collect();
    let mut values: Vec<TokenStream> = required.iter().map(|param| ident(&param.name)).collect();
    if let Some(body) = op.body.as_ref().filter(|body| body.required) {
        let ty = context.ty(&body.ty);
        args.push(quote!(body: impl Into<#ty>));
        values.push(quote!(body));
    }
    let mut text = String::new();
    if let Some(summary) = op.docs.summary.as_deref().map(str::trim).filter(|summary| !summary.is_empty()) {
        text.push_str(&format!("{}\n\n", sanitize(summary)));
    }
    text.push_str(&format!(
        "`{} {}`: a call of [`{}`], which documents the parameters and responses. Set optional parameters on the \
         returned [`Call`](crate::runtime::Call), then `.send().await`",
        op.method.as_str(),
        op.path,
        op.type_name
    ));
    text.push_str(if paginated { ", or `.into_stream()` for every item across pages." } else { "." });
    let doc = lines_to_attrs(&text);
    // One argument per required parameter, like the request builder's `new`.
    let too_many = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let deprecated = op.docs.deprecated.then(|| {
        quote! {
            #[deprecated = "GitHub marks this operation as deprecated."]
            #[allow(deprecated)]
        }
    });
    quote! {
        #[cfg(feature = "client")]
        impl crate::Client {
            #doc
            #too_many
            #deprecated
            pub fn #method(&self, #(#args),*) -> crate::runtime::Call<'_, #type_name> {
                self.call(#type_name::new(#(#values),*))
            }
        }
    }
}

/// Methods `crate::runtime::Call` has of its own; a parameter setter of the same name gets a `_param` suffix.
const CALL_METHODS: &[&str] =
    &["new", "operation", "into_operation", "retry_non_idempotent", "map_operation", "send", "into_stream"];

fn emit_call_setters(context: &Context<'_>, op: &Operation) -> TokenStream {
    let type_name = format_ident!("{}", op.type_name);
    let mut setters: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|param| !param.required)
        .map(|param| {
            let name = ident(&param.name);
            let method = if CALL_METHODS.contains(&param.name.as_str()) {
                ident(&format!("{}_param", param.name))
            } else {
                name.clone()
            };
            let ty = context.ty(&param.ty);
            let doc = doc_attrs(&Docs { description: Some(param_doc(param)), ..Docs::default() }, "");
            quote! {
                #doc
                pub fn #method(self, #name: impl Into<#ty>) -> Self {
                    self.map_operation(|operation| operation.#name(#name))
                }
            }
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|body| !body.required) {
        let ty = context.ty(&body.ty);
        let doc = doc_attrs(&body.docs, "Sets the request body.");
        setters.push(quote! {
            #doc
            pub fn body(self, body: impl Into<#ty>) -> Self {
                self.map_operation(|operation| operation.body(body))
            }
        });
    }
    if setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[cfg(feature = "client")]
        impl crate::runtime::Call<'_, #type_name> {
            #(#setters)*
        }
    }
}

/// `lib.rs` items: the client's re-exports and `for_each_paginated_operation!`.
pub fn emit_paginated_macro(context: &Context<'_>) -> TokenStream {
    let paths = context.api.areas.values().flat_map(|area| {
        let module = ident(&area.module);
        area.operations.iter().filter(|op| pagination(context, op).is_some()).map(move |op| {
            let name = format_ident!("{}", op.type_name);
            quote!($crate::operations::#module::#name)
        })
    });
    let features = context.api.areas.keys();
    let krate = &context.config.crate_name;
    let doc = lines_to_attrs(&format!(
        "Calls `callback! {{ path::to::Operation, … }}` with every operation that implements \
         [`crate::runtime::Paginated`], in spec order: the ones GitHub paginates.\n\n\
         Available when every area feature is enabled (the default).\n\n\
         ```\n\
         macro_rules! ids {{\n    ($($operation:path),* $(,)?) => {{ [$(<$operation as {krate}::Operation>::ID),*] }};\n}}\n\
         let paginated: &[&str] = &{krate}::for_each_paginated_operation!(ids);\n\
         assert!(paginated.iter().all(|id| !id.is_empty()));\n\
         ```"
    ));
    quote! {
        #doc
        #[cfg(all(#(feature = #features),*))]
        #[macro_export]
        macro_rules! for_each_paginated_operation {
            ($callback:ident) => {
                $callback! { #(#paths),* }
            };
        }
    }
}
