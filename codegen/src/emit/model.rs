//! Named types: structs for objects, enums for string enums and `oneOf`/`anyOf`, aliases for the rest.
//!
//! Semver rules the shapes follow, so that a spec that grows does not break downstream code:
//! structs and enums are `#[non_exhaustive]`; string enums keep unknown values in an `Other(String)` variant;
//! structs that callers send (request bodies and what they contain) get a `new` constructor taking the
//! required properties, and optional ones are set through the public fields.
//!
//! Optional vs nullable: a property that may be absent or `null` is an `Option` (an absent required-but-nullable
//! one decodes as `None` too, since the Rust type cannot tell them apart). In types callers send, a property that
//! is both optional and nullable is a `runtime::Nullable` instead, so "leave unchanged" (not sent) and "clear"
//! (`null`) stay distinct.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, lines_to_attrs};
use super::{ident, Context};
use crate::ir::{EnumVariant, Field, Ty, TypeId, TypeKind, UnionVariant};

/// A file in `src/models/`: one component schema.
pub fn emit_model_file(context: &Context<'_>, id: TypeId) -> (String, TokenStream) {
    let named = &context.api.types[id.0];
    let doc = format!("The `{}` schema (`{}`).", named.name, named.pointer);
    (doc, emit_type(context, id))
}

/// The definition of one named type and its impls.
pub fn emit_type(context: &Context<'_>, id: TypeId) -> TokenStream {
    let named = &context.api.types[id.0];
    let name = format_ident!("{}", named.name);
    let fallback = fallback_doc(&named.pointer);
    let docs = doc_attrs(&named.docs, &fallback);
    match &named.kind {
        TypeKind::Struct { fields, additional } => emit_struct(context, id, &name, docs, fields, additional.as_ref()),
        TypeKind::Enum { variants } => emit_enum(&name, docs, variants),
        TypeKind::Union { variants } => emit_union(context, id, &name, docs, variants),
        TypeKind::Alias(ty) => {
            let ty = context.ty(ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

/// Docs for a type the spec says nothing about, from where it is defined.
fn fallback_doc(pointer: &str) -> String {
    let tokens: Vec<String> = pointer.split('/').map(|token| token.replace("~1", "/").replace("~0", "~")).collect();
    let last = |n: usize| tokens.len().checked_sub(n).map(|i| tokens[i].as_str()).unwrap_or_default();
    let text = match (last(4), last(3), last(2), last(1)) {
        (_, _, "schemas", name) => format!("The `{name}` schema."),
        ("requestBody", "content", _, "schema") => "The request body.".to_owned(),
        (code, "content", _, "schema") => format!("The body of the `{code}` response."),
        (_, _, "properties", name) => format!("The `{name}` property."),
        (_, _, _, "items") => "An item of the list.".to_owned(),
        (_, _, _, "additionalProperties") => "A value of the map.".to_owned(),
        (_, _, _, "schema") => "The values of a parameter.".to_owned(),
        _ => "A shape the spec defines in place.".to_owned(),
    };
    format!("{text}\n\nDefined at `{pointer}`.")
}

/// Whether a field is a `runtime::Nullable` rather than an `Option`: an optional *and* nullable property of a
/// type callers send, where leaving it out ("leave unchanged") and sending `null` ("clear it") differ.
fn is_tri_state(context: &Context<'_>, id: TypeId, field: &Field) -> bool {
    context.is_input(id) && !field.required && field.nullable
}

fn field_type(context: &Context<'_>, id: TypeId, index: usize, field: &Field) -> TokenStream {
    let mut ty = context.ty(&field.ty);
    if context.is_boxed(id, index) {
        ty = quote!(Box<#ty>);
    }
    if is_tri_state(context, id, field) {
        ty = quote!(crate::runtime::Nullable<#ty>);
    } else if field.optional() {
        ty = quote!(Option<#ty>);
    }
    ty
}

fn emit_struct(
    context: &Context<'_>,
    id: TypeId,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    fields: &[Field],
    additional: Option<&Ty>,
) -> TokenStream {
    let members = fields.iter().enumerate().map(|(index, field)| {
        let field_name = ident(&field.name);
        let fallback = format!("`{}`", field.wire);
        let docs = doc_attrs(&field.docs, &fallback);
        let ty = field_type(context, id, index, field);
        let rename = (crate::naming::ident_text(&field.name).trim_start_matches("r#") != field.wire).then(|| {
            let wire = &field.wire;
            quote!(#[serde(rename = #wire)])
        });
        let optional = if is_tri_state(context, id, field) {
            quote!(#[serde(default, skip_serializing_if = "crate::runtime::Nullable::is_absent")])
        } else if !field.required {
            quote!(#[serde(default, skip_serializing_if = "Option::is_none")])
        } else if field.nullable {
            // Required but nullable: always sent, as `null` when `None`.
            quote!(#[serde(default)])
        } else {
            TokenStream::new()
        };
        quote! {
            #docs
            #rename
            #optional
            pub #field_name: #ty,
        }
    });
    let (additional_field, additional_init) = match additional {
        Some(ty) => {
            let ty = context.ty(ty);
            (
                quote! {
                    /// Properties beyond the ones the schema names.
                    #[serde(flatten)]
                    pub additional_properties: std::collections::BTreeMap<String, #ty>,
                },
                quote!(additional_properties: std::collections::BTreeMap::new(),),
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let constructor = context.is_input(id).then(|| {
        let required: Vec<&Field> = fields.iter().filter(|field| !field.optional()).collect();
        let args = required.iter().enumerate().map(|(index, field)| {
            let field_name = ident(&field.name);
            let member = fields.iter().position(|f| f.name == field.name).unwrap_or(index);
            let mut ty = context.ty(&field.ty);
            if context.is_boxed(id, member) {
                ty = quote!(Box<#ty>);
            }
            quote!(#field_name: impl Into<#ty>)
        });
        let inits = fields.iter().map(|field| {
            let field_name = ident(&field.name);
            if is_tri_state(context, id, field) {
                quote!(#field_name: crate::runtime::Nullable::Absent,)
            } else if field.optional() {
                quote!(#field_name: None,)
            } else {
                quote!(#field_name: #field_name.into(),)
            }
        });
        let too_many = (required.len() > 7).then(|| {
            // One argument per required property is the point of this constructor.
            quote!(#[allow(clippy::too_many_arguments)])
        });
        let start = if fields.iter().any(|field| is_tri_state(context, id, field)) {
            "`None` (`Nullable::Absent` for nullable ones: not sent)"
        } else {
            "`None`"
        };
        let doc = lines_to_attrs(&format!(
            "Creates a value with the required properties; optional ones start as {start} and can be set through \
             the public fields."
        ));
        quote! {
            impl #name {
                #doc
                #too_many
                pub fn new(#(#args),*) -> Self {
                    #name { #(#inits)* #additional_init }
                }
            }
        }
    });
    // Nothing required: `Default` is the natural empty value (and what clippy expects beside `new()`).
    let default = fields.iter().all(Field::optional).then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, #default PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
            #additional_field
        }
        #constructor
    }
}

fn emit_enum(name: &proc_macro2::Ident, docs: TokenStream, variants: &[EnumVariant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|variant| format_ident!("{}", variant.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|variant| variant.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|wire| lines_to_attrs(&format!("`{wire}`")));
    quote! {
        #docs
        ///
        /// Values this version of the crate does not know are kept in [`Self::Other`], so a value GitHub adds
        /// later still decodes and round-trips.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value not listed in the spec this crate was generated from.
            Other(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Other(_) => Self::Other(value),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::runtime::ParamValue for #name {
            fn param_value(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn is_scalar(ty: &Ty) -> bool {
    matches!(ty, Ty::String | Ty::Integer | Ty::Number | Ty::Boolean | Ty::DateTime)
}

/// Whether values of `ty` implement `ParamValue` (one text value): scalars, string enums, and unions of scalars.
fn is_param_value(context: &Context<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => match &context.api.types[id.0].kind {
            TypeKind::Enum { .. } => true,
            TypeKind::Union { variants } => variants.iter().all(|variant| is_scalar(&variant.ty)),
            TypeKind::Alias(target) => is_param_value(context, target),
            TypeKind::Struct { .. } => false,
        },
        other => is_scalar(other),
    }
}

/// Whether a union's every alternative gives query values: one value, or a list of them (`cwes=a` or
/// `cwes=a&cwes=b`).
fn is_query_union(context: &Context<'_>, variants: &[UnionVariant]) -> bool {
    variants.iter().all(|variant| match &variant.ty {
        Ty::Array(item) => is_param_value(context, item),
        other => is_param_value(context, other),
    })
}

fn emit_union(
    context: &Context<'_>,
    id: TypeId,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    variants: &[UnionVariant],
) -> TokenStream {
    let members = variants.iter().enumerate().map(|(index, variant)| {
        let variant_name = format_ident!("{}", variant.name);
        let docs = doc_attrs(&variant.docs, &format!("The `{}` alternative.", variant.name));
        let mut ty = context.ty(&variant.ty);
        if context.is_boxed(id, index) {
            ty = quote!(Box<#ty>);
        }
        quote!(#docs #variant_name(#ty),)
    });
    // `From` for each alternative whose type no other alternative has, so callers can pass `42` or `"ci.yml"`.
    let conversions = variants.iter().enumerate().filter(|(index, variant)| {
        !context.is_boxed(id, *index) && variants.iter().filter(|other| other.ty == variant.ty).count() == 1
    });
    let conversions = conversions.map(|(_, variant)| {
        let variant_name = format_ident!("{}", variant.name);
        let ty = context.ty(&variant.ty);
        let from_str = (variant.ty == Ty::String).then(|| {
            quote! {
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::#variant_name(value.to_owned())
                    }
                }
            }
        });
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant_name(value)
                }
            }
            #from_str
        }
    });
    let param_value = variants.iter().all(|variant| is_scalar(&variant.ty)).then(|| {
        let arms = variants.iter().map(|variant| {
            let variant_name = format_ident!("{}", variant.name);
            quote!(Self::#variant_name(value) => crate::runtime::ParamValue::param_value(value),)
        });
        quote! {
            impl crate::runtime::ParamValue for #name {
                fn param_value(&self) -> std::borrow::Cow<'_, str> {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    // A union of one value or a list (GitHub's `cwes`, `has`, `fields` filters) is sent as repeated pairs.
    let query_values = (param_value.is_none() && is_query_union(context, variants)).then(|| {
        let arms = variants.iter().map(|variant| {
            let variant_name = format_ident!("{}", variant.name);
            quote!(Self::#variant_name(value) => crate::runtime::QueryValues::for_each_value(value, each),)
        });
        quote! {
            impl crate::runtime::QueryValues for #name {
                fn for_each_value(&self, each: &mut dyn FnMut(std::borrow::Cow<'_, str>)) {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    quote! {
        #docs
        ///
        /// Decoding tries the alternatives in order and keeps the first that fits.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#members)*
        }
        #(#conversions)*
        #param_value
        #query_values
    }
}
