//! Operations: a request builder struct per operation, the types only it uses, and its response parser.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, lines_to_attrs, sanitize};
use super::model::emit_type;
use super::{ident, Context};
use crate::ir::{Area, BodyEncoding, Docs, Method, Operation, Param, ParamLocation, PathPart, Response, TypeId};

/// `src/operations/<area>/mod.rs`: declares the operations and re-exports their public types.
pub fn emit_area_mod(context: &Context<'_>, area: &Area) -> (String, TokenStream) {
    let items = area.operations.iter().map(|op| {
        let module = ident(&op.fn_name);
        let names = exported_names(context, op).into_iter().map(|name| format_ident!("{name}"));
        quote! {
            mod #module;
            pub use #module::{#(#names),*};
        }
    });
    let list: String = area
        .operations
        .iter()
        .map(|op| format!("\n- [`{}`]: `{} {}`", op.type_name, op.method.as_str(), op.path))
        .collect();
    let doc = format!("The `{}` operations (Cargo feature `{}`).\n{list}", area.name, area.name);
    (doc, quote!(#(#items)*))
}

/// The public names an operation's module defines.
fn exported_names(context: &Context<'_>, op: &Operation) -> Vec<String> {
    let mut names = vec![op.type_name.clone()];
    names.extend(op.output_name.clone());
    names.extend(local_types(context, op).map(|id| context.api.types[id.0].name.clone()));
    names
}

/// Types that live in this operation's module.
fn local_types<'c>(context: &'c Context<'_>, op: &Operation) -> impl Iterator<Item = TypeId> + 'c {
    context.local_types(&op.area, &op.fn_name).iter().copied()
}

/// `src/operations/<area>/<operation>.rs`.
pub fn emit_operation_file(context: &Context<'_>, op: &Operation) -> (String, TokenStream) {
    let doc = format!(
        "`{} {}` (`{}`){}",
        op.method.as_str(),
        op.path,
        op.id,
        op.docs.summary.as_deref().map(|summary| format!(": {}", sanitize(summary))).unwrap_or_default()
    );
    let name = format_ident!("{}", op.type_name);
    let fields = op.params.iter().map(|param| {
        let field = ident(&param.name);
        let ty = param_type(context, param);
        let rename = super::client::wire_rename(param);
        quote!(#rename #field: #ty,)
    });
    let body_field = op.body.as_ref().map(|body| {
        let ty = context.ty(&body.ty);
        if body.required {
            quote!(body: #ty,)
        } else {
            quote!(body: Option<#ty>,)
        }
    });
    let docs = operation_docs(op);
    let constructor = emit_constructor(context, op);
    let setters = op.params.iter().filter(|param| !param.required).map(|param| emit_setter(context, param));
    let body_setter = op.body.as_ref().filter(|body| !body.required).map(|body| {
        let ty = context.ty(&body.ty);
        let doc = doc_attrs(&body.docs, "Sets the request body.");
        quote! {
            #doc
            pub fn body(mut self, body: impl Into<#ty>) -> Self {
                self.body = Some(body.into());
                self
            }
        }
    });
    let (output, output_enum) = emit_output(context, op);
    let build_request = emit_build_request(op);
    let parse_response = emit_parse_response(op);
    let id = &op.id;
    let path = &op.path;
    let method = method_tokens(op.method);
    let local = local_types(context, op).map(|id| emit_type(context, id));
    let deserialize = super::client::deserialize_attrs();
    let client = super::client::emit_operation_client(context, op);
    let tokens = quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #deserialize
        pub struct #name {
            #(#fields)*
            #body_field
        }

        impl #name {
            #constructor
            #(#setters)*
            #body_setter
        }

        impl crate::Operation for #name {
            type Output = #output;
            const ID: &'static str = #id;
            const METHOD: http::Method = #method;
            const PATH: &'static str = #path;

            #build_request
            #parse_response
        }

        #client
        #output_enum
        #(#local)*
    };
    (doc, tokens)
}

fn operation_docs(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.docs.summary {
        text.push_str(&format!("{}\n\n", summary.trim()));
    }
    text.push_str(&format!("`{} {}` (`{}`)", op.method.as_str(), op.path, op.id));
    if op.docs.deprecated {
        text.push_str("\n\n**Deprecated** by GitHub: [`Self::new`] warns when used.");
    }
    if let Some(description) = op.docs.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        text.push_str(&format!("\n\n{description}"));
    }
    text.push_str("\n\n# Responses\n");
    for response in &op.responses {
        let outcome = if response.is_success() { "" } else { " (returned as [`crate::Error::Api`])" };
        let description = response.description.lines().next().unwrap_or_default();
        let media = response.body.as_ref().map(|body| format!(" (`{}`)", body.media_type)).unwrap_or_default();
        text.push_str(&format!("\n- `{}` {}{media}: {}{}", response.status, response.name, description, outcome));
    }
    let docs = Docs { description: Some(text), url: op.docs.url.clone(), ..Docs::default() };
    doc_attrs(&docs, "")
}

fn param_type(context: &Context<'_>, param: &Param) -> TokenStream {
    let ty = context.ty(&param.ty);
    if param.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

pub(super) fn param_doc(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let mut text = format!("`{}` ({location} parameter)", param.wire);
    if let Some(description) = param.docs.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        text.push_str(": ");
        text.push_str(description);
    }
    if let Some(default) = &param.default {
        text.push_str(&format!("\n\nGitHub's default when not set: `{default}`."));
    }
    text
}

fn emit_constructor(context: &Context<'_>, op: &Operation) -> TokenStream {
    let required: Vec<&Param> = op.params.iter().filter(|param| param.required).collect();
    let args = required.iter().map(|param| {
        let name = ident(&param.name);
        let ty = context.ty(&param.ty);
        quote!(#name: impl Into<#ty>)
    });
    let body_arg = op.body.as_ref().filter(|body| body.required).map(|body| {
        let ty = context.ty(&body.ty);
        quote!(body: impl Into<#ty>)
    });
    let inits = op.params.iter().map(|param| {
        let name = ident(&param.name);
        if param.required {
            quote!(#name: #name.into(),)
        } else {
            quote!(#name: None,)
        }
    });
    let body_init =
        op.body.as_ref().map(|body| if body.required { quote!(body: body.into(),) } else { quote!(body: None,) });
    let mut text = String::from("Starts the request with its required parameters.");
    for param in &required {
        text.push_str(&format!("\n\n- `{}`: {}", param.name, sanitize(&param_doc(param)).replace("\n\n", " ")));
    }
    if let Some(body) = op.body.as_ref().filter(|body| body.required) {
        text.push_str(&format!("\n\n- `body`: the `{}` request body.", body.media_type));
    }
    let doc = lines_to_attrs(&text);
    let too_many = (required.len() + usize::from(body_arg.is_some()) > 7).then(|| {
        // One argument per required parameter: they cannot be forgotten.
        quote!(#[allow(clippy::too_many_arguments)])
    });
    let name = format_ident!("{}", op.type_name);
    // Deprecation sits on the constructor: callers are warned, while the crate's own impls of the type are not.
    let deprecated = op.docs.deprecated.then(|| quote!(#[deprecated = "GitHub marks this operation as deprecated."]));
    quote! {
        #doc
        #too_many
        #deprecated
        pub fn new(#(#args,)* #body_arg) -> Self {
            #name { #(#inits)* #body_init }
        }
    }
}

fn emit_setter(context: &Context<'_>, param: &Param) -> TokenStream {
    let name = ident(&param.name);
    let ty = context.ty(&param.ty);
    let doc = doc_attrs(&Docs { description: Some(param_doc(param)), ..Docs::default() }, "");
    quote! {
        #doc
        pub fn #name(mut self, #name: impl Into<#ty>) -> Self {
            self.#name = Some(#name.into());
            self
        }
    }
}

fn method_tokens(method: Method) -> TokenStream {
    let name = format_ident!("{}", method.as_str());
    quote!(http::Method::#name)
}

fn emit_build_request(op: &Operation) -> TokenStream {
    let part = |part: &PathPart| match part {
        PathPart::Literal(text) => quote!(crate::runtime::Segment::Literal(#text)),
        PathPart::Param(index) => {
            let param = &op.params[*index];
            let wire = &param.wire;
            let field = ident(&param.name);
            quote!(crate::runtime::Segment::Param(#wire, &self.#field))
        }
    };
    let segments = op.segments.iter().map(|parts| match parts.as_slice() {
        [only] => part(only),
        several => {
            let several = several.iter().map(part);
            quote!(crate::runtime::Segment::Joined(&[#(#several),*]))
        }
    });
    let others = op.params.iter().filter(|param| param.location != ParamLocation::Path).map(|param| {
        let wire = &param.wire;
        let field = ident(&param.name);
        match param.location {
            ParamLocation::Query => quote!(request.query(#wire, &self.#field);),
            _ => quote!(request.header(#wire, &self.#field);),
        }
    });
    let body = op.body.as_ref().map(|body| {
        let media_type = &body.media_type;
        match (body.encoding, body.required) {
            (BodyEncoding::Json, _) => quote!(request.json_body(#media_type, &self.body);),
            (BodyEncoding::Text, true) => quote!(request.raw_body(#media_type, Some(self.body.as_bytes()));),
            (BodyEncoding::Text, false) => {
                quote!(request.raw_body(#media_type, self.body.as_deref().map(str::as_bytes));)
            }
            (BodyEncoding::Binary, true) => quote!(request.raw_body(#media_type, Some(self.body.as_slice()));),
            (BodyEncoding::Binary, false) => quote!(request.raw_body(#media_type, self.body.as_deref());),
        }
    });
    let mutable = if op.params.iter().any(|param| param.location != ParamLocation::Path) || op.body.is_some() {
        quote!(mut)
    } else {
        TokenStream::new()
    };
    quote! {
        fn build_request(&self, base_url: &crate::BaseUrl) -> Result<http::Request<Vec<u8>>, crate::Error> {
            let url = base_url.url_for(Self::ID, &[#(#segments),*])?;
            let #mutable request = crate::runtime::RequestBuilder::new(Self::METHOD, url);
            #(#others)*
            #body
            request.build(Self::ID)
        }
    }
}

/// What a success response decodes to, before wrapping in the output enum.
fn success_payload(context: &Context<'_>, response: &Response) -> Option<TokenStream> {
    match (&response.body, response.location) {
        (Some(body), _) => Some(context.ty(&body.ty)),
        (None, true) => Some(quote!(crate::Redirect)),
        (None, false) => None,
    }
}

fn emit_output(context: &Context<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    let successes: Vec<&Response> = op.responses.iter().filter(|response| response.is_success()).collect();
    let Some(output_name) = &op.output_name else {
        let output = successes.first().and_then(|response| success_payload(context, response)).unwrap_or(quote!(()));
        return (output, TokenStream::new());
    };
    let name = format_ident!("{output_name}");
    let variants = successes.iter().map(|response| {
        let variant = format_ident!("{}", response.name);
        let doc = lines_to_attrs(&format!("`{}`: {}", response.status, sanitize(response.description.trim())));
        match success_payload(context, response) {
            Some(payload) => quote!(#doc #variant(#payload),),
            None => quote!(#doc #variant,),
        }
    });
    let mut text = format!("What [`{}`] returns, by response status.", op.type_name);
    // Serializes as the body that was received (`null` for a status without one), so a decoded response can be
    // stored or re-encoded; not for redirects, whose payload is a header.
    let serialize = successes.iter().all(|response| response.body.is_some() || !response.location).then(|| {
        text.push_str("\n\nSerializes as the response body (`null` for a status without one).");
        quote!(#[derive(serde::Serialize)] #[serde(untagged)])
    });
    let doc = lines_to_attrs(&text);
    let tokens = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #serialize
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    };
    (quote!(#name), tokens)
}

fn emit_parse_response(op: &Operation) -> TokenStream {
    let successes: Vec<&Response> = op.responses.iter().filter(|response| response.is_success()).collect();
    let wrap = |response: &Response, value: TokenStream| match &op.output_name {
        Some(output) => {
            let output = format_ident!("{output}");
            let variant = format_ident!("{}", response.name);
            quote!(#value.map(#output::#variant))
        }
        None => value,
    };
    let arms = successes.iter().map(|response| {
        let status = proc_macro2::Literal::u16_unsuffixed(response.status);
        let value = match (&response.body, response.location) {
            (Some(body), _) => match body.encoding {
                BodyEncoding::Json => quote!(crate::runtime::decode_json(Self::ID, &response)),
                BodyEncoding::Text => quote!(crate::runtime::decode_text(Self::ID, &response)),
                BodyEncoding::Binary => quote!(Ok(response.body().to_vec())),
            },
            (None, true) => quote!(crate::runtime::redirect(Self::ID, &response)),
            (None, false) => quote!(Ok(())),
        };
        let value = match (&op.output_name, &response.body, response.location) {
            (Some(output), None, false) => {
                let output = format_ident!("{output}");
                let variant = format_ident!("{}", response.name);
                quote!(Ok(#output::#variant))
            }
            _ => wrap(response, value),
        };
        quote!(#status => #value,)
    });
    // An operation that documents no success status still succeeds on any 2xx.
    let fallback_success = successes.is_empty().then(|| quote!(200..=299 => Ok(()),));
    quote! {
        fn parse_response(response: http::Response<bytes::Bytes>) -> Result<Self::Output, crate::Error> {
            match response.status().as_u16() {
                #(#arms)*
                #fallback_success
                _ => Err(crate::runtime::error_response(Self::ID, response)),
            }
        }
    }
}
