//! Stage 2: `openapiv3::OpenAPI` → [`crate::ir::Api`].
//!
//! Lowering resolves every `$ref`, names every type, decides every `Option`, and reports every problem with the
//! JSON pointer it is at. It first registers a [`TypeId`] for each component schema, so forward and circular
//! references resolve without recursion into the target; inline schemas that need a type of their own are named
//! after where they are (`WorkflowRunStatus`, `ListWorkflowRunsForRepoResponse`) and lowered once per pointer.

use std::collections::HashMap;

use indexmap::{IndexMap, IndexSet};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind, StatusCode, Type,
};

use crate::diagnostics::{Collector, Diagnostics, Pointer};
use crate::ir::{
    Api, Area, Body, BodyEncoding, Docs, EnumVariant, Field, Home, Method, NamedType, Operation, Param, ParamLocation,
    PathPart, Response, ResponseBody, Ty, TypeId, TypeKind, UnionVariant,
};
use crate::naming::{self, Namespace};
use crate::Config;

/// Lowers a loaded document into the IR, or reports every problem found.
pub fn lower(doc: &OpenAPI, config: &Config) -> Result<Api, Diagnostics> {
    let mut lowering = Lowering::new(doc, config);
    lowering.register_components();
    lowering.lower_components();
    let areas = lowering.lower_operations();
    let Lowering { types, mut errors, .. } = lowering;
    let mut api = Api { title: doc.info.title.clone(), version: doc.info.version.clone(), types, areas };
    mark_areas(&mut api);
    report_required_cycles(&api, &mut errors);
    errors.finish(api)
}

/// What a schema lowers to: the type, and whether `null` is allowed.
#[derive(Debug, Clone)]
struct Lowered {
    ty: Ty,
    nullable: bool,
}

/// Where an inline schema that needs a type of its own will live, and what it would be called.
#[derive(Debug, Clone)]
struct Hint {
    name: String,
    home: Home,
}

impl Hint {
    fn child(&self, suffix: &str) -> Hint {
        Hint { name: format!("{}{}", self.name, naming::type_name(suffix)), home: self.home.clone() }
    }
}

struct Lowering<'a> {
    doc: &'a OpenAPI,
    config: &'a Config,
    /// Every type registered so far; a type's kind is a placeholder until it has been lowered.
    types: Vec<NamedType>,
    /// `#/components/schemas/NAME` → its type and nullability.
    components: IndexMap<String, (TypeId, bool)>,
    /// Inline schemas already lowered, by pointer: a schema shared through a component parameter or response is
    /// lowered once.
    inline: HashMap<String, Lowered>,
    /// Type names taken per home.
    names: HashMap<String, Namespace>,
    /// Module names taken in `models`.
    model_modules: Namespace,
    errors: Collector,
}

fn home_key(home: &Home) -> String {
    match home {
        Home::Models => "models".to_owned(),
        Home::Operation { area, .. } => format!("area {area}"),
    }
}

impl<'a> Lowering<'a> {
    fn new(doc: &'a OpenAPI, config: &'a Config) -> Self {
        Lowering {
            doc,
            config,
            types: Vec::new(),
            components: IndexMap::new(),
            inline: HashMap::new(),
            names: HashMap::new(),
            model_modules: Namespace::with_reserved(["mod"]),
            errors: Collector::default(),
        }
    }

    /// Reserves a [`TypeId`] and a unique name for a type.
    fn register(&mut self, name: &str, home: Home, pointer: &Pointer, docs: Docs) -> TypeId {
        let name = self.names.entry(home_key(&home)).or_default().claim(name);
        let module = match home {
            Home::Models => self.model_modules.claim(&naming::snake(&name)),
            Home::Operation { .. } => String::new(),
        };
        let id = TypeId(self.types.len());
        self.types.push(NamedType {
            name,
            module,
            pointer: pointer.to_string(),
            home,
            docs,
            kind: TypeKind::Alias(Ty::Json),
            areas: IndexSet::new(),
        });
        id
    }

    fn set_kind(&mut self, id: TypeId, kind: TypeKind) {
        if let Some(named) = self.types.get_mut(id.0) {
            named.kind = kind;
        }
    }

    fn register_components(&mut self) {
        let Some(components) = &self.doc.components else { return };
        let base = Pointer::root().join("components").join("schemas");
        for (name, schema) in &components.schemas {
            let pointer = base.join(name);
            let (docs, nullable) = match schema {
                ReferenceOr::Item(schema) => (schema_docs(schema), schema.schema_data.nullable),
                ReferenceOr::Reference { .. } => (Docs::default(), false),
            };
            let id = self.register(&naming::type_name(name), Home::Models, &pointer, docs);
            self.components.insert(format!("#/components/schemas/{name}"), (id, nullable));
        }
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.doc.components else { return };
        let base = Pointer::root().join("components").join("schemas");
        for (index, (name, schema)) in components.schemas.iter().enumerate() {
            let pointer = base.join(name);
            let id = self.components[index].0;
            let type_name = self.type_name(id).to_owned();
            let subject = format!("schema {name}");
            let hint = Hint { name: type_name, home: Home::Models };
            let kind = match schema {
                ReferenceOr::Reference { reference } => {
                    TypeKind::Alias(self.resolve_schema_ref(reference, &pointer, &subject).ty)
                }
                ReferenceOr::Item(schema) => self.lower_schema_kind(schema, &pointer, &subject, &hint),
            };
            let nullable = match &kind {
                // A component that only wraps another one inherits its nullability.
                TypeKind::Alias(Ty::Named(target)) => {
                    self.components[index].1 || self.components.values().any(|(id, n)| id == target && *n)
                }
                _ => self.components[index].1,
            };
            self.components[index].1 = nullable;
            self.set_kind(id, kind);
        }
    }

    fn type_name(&self, id: TypeId) -> &str {
        &self.types[id.0].name
    }

    fn resolve_schema_ref(&mut self, reference: &str, pointer: &Pointer, subject: &str) -> Lowered {
        match self.components.get(reference) {
            Some(&(id, nullable)) => Lowered { ty: Ty::Named(id), nullable },
            None => {
                self.errors.report(
                    pointer,
                    Some(subject),
                    format!("`$ref: {reference}` does not resolve to a schema in #/components/schemas"),
                );
                Lowered { ty: Ty::Json, nullable: false }
            }
        }
    }

    /// Lowers a schema used in place (a property, an item, a parameter, a body).
    fn lower_schema(&mut self, schema: &ReferenceOr<Schema>, pointer: &Pointer, subject: &str, hint: &Hint) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer, subject),
            ReferenceOr::Item(schema) => self.lower_inline(schema, pointer, subject, hint),
        }
    }

    fn lower_boxed_schema(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &Pointer,
        subject: &str,
        hint: &Hint,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer, subject),
            ReferenceOr::Item(schema) => self.lower_inline(schema, pointer, subject, hint),
        }
    }

    fn lower_inline(&mut self, schema: &Schema, pointer: &Pointer, subject: &str, hint: &Hint) -> Lowered {
        if let Some(done) = self.inline.get(&pointer.to_string()) {
            return done.clone();
        }
        let nullable = schema.schema_data.nullable;
        let lowered = match self.shape(schema) {
            Shape::Primitive(ty) => Lowered { ty, nullable },
            Shape::Array(items) => {
                let item_pointer = pointer.join("items");
                let item = match items {
                    Some(items) => self.lower_boxed_schema(items, &item_pointer, subject, &hint.child("item")),
                    None => Lowered { ty: Ty::Json, nullable: false },
                };
                Lowered { ty: Ty::Array(Box::new(item.ty)), nullable }
            }
            Shape::Map(values) => {
                let value_pointer = pointer.join("additionalProperties");
                let value = self.lower_schema(values, &value_pointer, subject, &hint.child("value"));
                Lowered { ty: Ty::Map(Box::new(value.ty)), nullable }
            }
            Shape::Single(only) => {
                let (index, keyword, branch) = only;
                let inner = self.lower_schema(branch, &pointer.join(keyword).join(index), subject, hint);
                Lowered { ty: inner.ty, nullable: nullable || inner.nullable }
            }
            Shape::Named => {
                let id = self.register(&hint.name, hint.home.clone(), pointer, schema_docs(schema));
                let kind = self.lower_schema_kind(schema, pointer, subject, hint);
                self.set_kind(id, kind);
                Lowered { ty: Ty::Named(id), nullable }
            }
        };
        self.inline.insert(pointer.to_string(), lowered.clone());
        lowered
    }

    /// Classifies a schema: does it need a named type, or is it a primitive, an array, a map?
    fn shape<'s>(&mut self, schema: &'s Schema) -> Shape<'s> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if string.enumeration.iter().any(Option::is_some) {
                    Shape::Named
                } else if matches!(
                    &string.format,
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime)
                ) {
                    Shape::Primitive(Ty::DateTime)
                } else {
                    Shape::Primitive(Ty::String)
                }
            }
            SchemaKind::Type(Type::Integer(_)) => Shape::Primitive(Ty::Integer),
            SchemaKind::Type(Type::Number(_)) => Shape::Primitive(Ty::Number),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Primitive(Ty::Boolean),
            SchemaKind::Type(Type::Array(array)) => Shape::Array(array.items.as_ref()),
            SchemaKind::Type(Type::Object(object)) => object_shape(&object.properties, &object.additional_properties),
            SchemaKind::OneOf { one_of: branches } => union_shape(branches, "oneOf"),
            SchemaKind::AnyOf { any_of: branches } => union_shape(branches, "anyOf"),
            SchemaKind::AllOf { all_of: branches } => match branches.as_slice() {
                [only] => Shape::Single((0, "allOf", only)),
                _ => Shape::Named,
            },
            SchemaKind::Not { .. } => Shape::Primitive(Ty::Json),
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() {
                    union_shape(&any.one_of, "oneOf")
                } else if !any.any_of.is_empty() {
                    union_shape(&any.any_of, "anyOf")
                } else if !any.all_of.is_empty() || !any.properties.is_empty() {
                    Shape::Named
                } else if let Some(items) = &any.items {
                    Shape::Array(Some(items))
                } else {
                    match any.typ.as_deref() {
                        None | Some("object") => object_shape(&any.properties, &any.additional_properties),
                        Some("string") => Shape::Primitive(Ty::String),
                        Some("integer") => Shape::Primitive(Ty::Integer),
                        Some("number") => Shape::Primitive(Ty::Number),
                        Some("boolean") => Shape::Primitive(Ty::Boolean),
                        Some("array") => Shape::Array(None),
                        Some(_) => Shape::Named,
                    }
                }
            }
        }
    }

    /// The kind of a named type for `schema`.
    fn lower_schema_kind(&mut self, schema: &Schema, pointer: &Pointer, subject: &str, hint: &Hint) -> TypeKind {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if string.enumeration.iter().any(Option::is_some) => {
                let mut names = Namespace::with_reserved(["Other"]);
                let mut seen = IndexSet::new();
                let variants = string
                    .enumeration
                    .iter()
                    .flatten()
                    .filter(|wire| seen.insert(wire.as_str()))
                    .map(|wire| EnumVariant { wire: wire.clone(), name: names.claim(&naming::variant_name(wire)) })
                    .collect();
                TypeKind::Enum { variants }
            }
            SchemaKind::Type(Type::Object(object)) if matches!(self.shape(schema), Shape::Named) => self.lower_struct(
                &object.properties,
                &object.required,
                &object.additional_properties,
                pointer,
                subject,
                hint,
            ),
            SchemaKind::OneOf { one_of: branches } => self.lower_union(branches, "oneOf", pointer, subject, hint),
            SchemaKind::AnyOf { any_of: branches } => self.lower_union(branches, "anyOf", pointer, subject, hint),
            SchemaKind::AllOf { all_of: branches } => self.lower_all_of(branches, pointer, subject, hint),
            SchemaKind::Any(any) => {
                if let Some(typ) = any.typ.as_deref().filter(|t| !KNOWN_TYPES.contains(t)) {
                    self.errors.report(
                        &pointer.join("type"),
                        Some(subject),
                        format!("unsupported schema type `{typ}` (expected one of {})", KNOWN_TYPES.join(", ")),
                    );
                    TypeKind::Alias(Ty::Json)
                } else if !any.one_of.is_empty() {
                    self.lower_union(&any.one_of, "oneOf", pointer, subject, hint)
                } else if !any.any_of.is_empty() {
                    self.lower_union(&any.any_of, "anyOf", pointer, subject, hint)
                } else if !any.all_of.is_empty() {
                    self.lower_all_of(&any.all_of, pointer, subject, hint)
                } else {
                    self.lower_struct(
                        &any.properties,
                        &any.required,
                        &any.additional_properties,
                        pointer,
                        subject,
                        hint,
                    )
                }
            }
            _ => {
                // A component that is a primitive, an array or a map: an alias with the component's docs.
                let lowered = self.lower_inline(schema, &pointer.join("~inner"), subject, hint);
                self.inline.remove(&pointer.join("~inner").to_string());
                TypeKind::Alias(lowered.ty)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_struct(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: &Option<openapiv3::AdditionalProperties>,
        pointer: &Pointer,
        subject: &str,
        hint: &Hint,
    ) -> TypeKind {
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        for (wire, property) in properties {
            let property_pointer = pointer.join("properties").join(wire);
            let lowered = self.lower_boxed_schema(property, &property_pointer, subject, &hint.child(wire));
            let docs = match property {
                ReferenceOr::Item(schema) => schema_docs(schema),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            fields.push(Field {
                wire: wire.clone(),
                name: names.claim(&naming::snake(wire)),
                ty: lowered.ty,
                required: required.contains(wire),
                nullable: lowered.nullable,
                docs,
            });
        }
        // `required` may name keys without a schema (JSON Schema allows it; GitHub's description does it): they
        // must be present but say nothing about their type, so there is no field to make non-optional.
        let additional = match additional {
            Some(openapiv3::AdditionalProperties::Schema(values)) => {
                let value_pointer = pointer.join("additionalProperties");
                Some(self.lower_schema(values, &value_pointer, subject, &hint.child("value")).ty)
            }
            Some(openapiv3::AdditionalProperties::Any(true)) => Some(Ty::Json),
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    fn lower_union(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        keyword: &str,
        pointer: &Pointer,
        subject: &str,
        hint: &Hint,
    ) -> TypeKind {
        let mut names = Namespace::default();
        let mut variants = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            if is_null_schema(branch) {
                continue;
            }
            let branch_pointer = pointer.join(keyword).join(index);
            let (title, docs) = match branch {
                ReferenceOr::Item(schema) => (schema.schema_data.title.clone(), schema_docs(schema)),
                ReferenceOr::Reference { .. } => (None, Docs::default()),
            };
            let lowered = self.lower_schema(branch, &branch_pointer, subject, &hint.child(&format!("variant{index}")));
            // A `title` on the branch names the variant; otherwise the type does.
            let candidate = match title {
                Some(title) => naming::variant_name(&title),
                None => self.variant_name_for(&lowered.ty),
            };
            variants.push(UnionVariant { name: names.claim(&candidate), ty: lowered.ty, docs });
        }
        TypeKind::Union { variants }
    }

    fn variant_name_for(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "String".to_owned(),
            Ty::DateTime => "DateTime".to_owned(),
            Ty::Integer => "Integer".to_owned(),
            Ty::Number => "Number".to_owned(),
            Ty::Boolean => "Boolean".to_owned(),
            Ty::Json => "Json".to_owned(),
            Ty::Bytes => "Bytes".to_owned(),
            Ty::Array(item) => format!("{}List", self.variant_name_for(item)),
            Ty::Map(value) => format!("{}Map", self.variant_name_for(value)),
            Ty::Named(id) => self.type_name(*id).to_owned(),
        }
    }

    /// `allOf`: the properties of every branch merged into one struct.
    fn lower_all_of(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        pointer: &Pointer,
        subject: &str,
        hint: &Hint,
    ) -> TypeKind {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        let mut additional = None;
        let mut seen = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            let branch_pointer = pointer.join("allOf").join(index);
            self.collect_all_of(
                branch,
                &branch_pointer,
                subject,
                &mut properties,
                &mut required,
                &mut additional,
                &mut seen,
            );
        }
        let properties: IndexMap<String, ReferenceOr<Box<Schema>>> =
            properties.into_iter().map(|(name, (_, schema))| (name, schema)).collect();
        self.lower_struct(&properties, &required, &additional, pointer, subject, hint)
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_all_of(
        &mut self,
        branch: &ReferenceOr<Schema>,
        pointer: &Pointer,
        subject: &str,
        properties: &mut IndexMap<String, (Pointer, ReferenceOr<Box<Schema>>)>,
        required: &mut Vec<String>,
        additional: &mut Option<openapiv3::AdditionalProperties>,
        seen: &mut Vec<String>,
    ) {
        let doc = self.doc;
        let schema = match branch {
            ReferenceOr::Reference { reference } => {
                if seen.contains(reference) {
                    self.errors.report(
                        pointer,
                        Some(subject),
                        format!("`allOf` refers to itself through `{reference}`"),
                    );
                    return;
                }
                seen.push(reference.clone());
                match find_component_schema(doc, reference) {
                    Some(schema) => schema,
                    None => {
                        self.errors.report(
                            pointer,
                            Some(subject),
                            format!("`$ref: {reference}` does not resolve to a schema in #/components/schemas"),
                        );
                        return;
                    }
                }
            }
            ReferenceOr::Item(schema) => schema,
        };
        let (own_properties, own_required, own_additional, nested) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                (Some(&object.properties), object.required.as_slice(), &object.additional_properties, &[][..])
            }
            SchemaKind::AllOf { all_of } => (None, &[][..], &None, all_of.as_slice()),
            SchemaKind::Any(any) => {
                (Some(&any.properties), any.required.as_slice(), &any.additional_properties, any.all_of.as_slice())
            }
            _ => {
                self.errors.report(pointer, Some(subject), "an `allOf` branch must be an object schema to be merged");
                return;
            }
        };
        for (name, property) in own_properties.into_iter().flatten() {
            properties.insert(name.clone(), (pointer.join("properties").join(name), property.clone()));
        }
        for name in own_required {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        if own_additional.is_some() {
            additional.clone_from(own_additional);
        }
        for (index, nested_branch) in nested.iter().enumerate() {
            let nested_pointer = pointer.join("allOf").join(index);
            self.collect_all_of(nested_branch, &nested_pointer, subject, properties, required, additional, seen);
        }
    }

    fn lower_operations(&mut self) -> IndexMap<String, Area> {
        let mut areas: IndexMap<String, Area> = IndexMap::new();
        let mut seen_ids: HashMap<String, Pointer> = HashMap::new();
        let mut fn_names = Namespace::default();
        let doc = self.doc;
        for (path, item) in &doc.paths.paths {
            let path_pointer = Pointer::root().join("paths").join(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.errors.report(
                        &path_pointer,
                        None,
                        format!("path items by `$ref` ({reference}) are not supported"),
                    );
                    continue;
                }
            };
            for (method_name, operation) in item.iter() {
                let pointer = path_pointer.join(method_name);
                let Some(id) = operation.operation_id.clone() else {
                    self.errors.report(
                        &pointer,
                        None,
                        "operation has no `operationId`; every operation needs one to be named",
                    );
                    continue;
                };
                if let Some(first) = seen_ids.get(&id) {
                    self.errors.report(
                        &pointer,
                        Some(&format!("operation {id}")),
                        format!("duplicate operationId, first used at {first}"),
                    );
                    continue;
                }
                seen_ids.insert(id.clone(), pointer.clone());
                let area_name = self.area_of(operation);
                let local = naming::snake(id.rsplit('/').next().unwrap_or(&id));
                let fn_name = fn_names.claim(&local);
                let home = Home::Operation { area: area_name.clone(), module: fn_name.clone() };
                let type_name = self.names.entry(home_key(&home)).or_default().claim(&naming::type_name(&fn_name));
                let lowered = self.lower_operation(OperationSite {
                    id: &id,
                    type_name,
                    fn_name,
                    area: &area_name,
                    method: method_of(method_name),
                    path,
                    path_parameters: &item.parameters,
                    operation,
                    pointer: &pointer,
                });
                let area = areas.entry(area_name.clone()).or_insert_with(|| Area {
                    module: naming::snake(&area_name),
                    name: area_name.clone(),
                    operations: Vec::new(),
                });
                area.operations.push(lowered);
            }
        }
        areas
    }

    fn area_of(&self, operation: &openapiv3::Operation) -> String {
        let from_extension = || {
            let github = operation.extensions.get("x-github")?;
            github.get(self.config.area_key.as_str())?.as_str().map(str::to_owned)
        };
        from_extension().or_else(|| operation.tags.first().cloned()).unwrap_or_else(|| "default".to_owned())
    }

    fn lower_operation(&mut self, site: OperationSite<'_>) -> Operation {
        let OperationSite { id, type_name, fn_name, area, method, path, path_parameters, operation, pointer } = site;
        let subject = format!("operation {id}");
        let home = Home::Operation { area: area.to_owned(), module: fn_name.clone() };
        let op_hint = Hint { name: type_name.clone(), home: home.clone() };

        // Parameters: path-level ones first, overridden by operation-level ones with the same name and location.
        let mut declared: IndexMap<(String, &'static str), (Pointer, &Parameter)> = IndexMap::new();
        let path_level = Pointer::root().join("paths").join(path).join("parameters");
        let operation_level = pointer.join("parameters");
        let sources = [(path_parameters, &path_level), (operation.parameters.as_slice(), &operation_level)];
        for (list, base) in sources {
            for (index, parameter) in list.iter().enumerate() {
                let Some((parameter, at)) = self.resolve_parameter(parameter, &base.join(index), &subject) else {
                    continue;
                };
                let data = parameter.parameter_data_ref();
                declared.insert((data.name.clone(), location_name(parameter)), (at, parameter));
            }
        }

        let mut names = Namespace::with_reserved(["body", "new", "build_request", "parse_response"]);
        let mut params = Vec::new();
        for ((wire, _), (at, parameter)) in &declared {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    self.errors.report(at, Some(&subject), format!("cookie parameter `{wire}` is not supported"));
                    continue;
                }
            };
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => schema,
                ParameterSchemaOrContent::Content(_) => {
                    self.errors.report(
                        at,
                        Some(&subject),
                        format!("parameter `{wire}` has `content` instead of a `schema`; only `schema` is supported"),
                    );
                    continue;
                }
            };
            // A parameter shared through #/components/parameters gets one type for all its users.
            let hint = match at.to_string().strip_prefix("#/components/parameters/") {
                Some(component) => Hint { name: naming::type_name(component), home: Home::Models },
                None => op_hint.child(wire),
            };
            let lowered = self.lower_schema(schema, &at.join("schema"), &subject, &hint);
            let default = match schema {
                ReferenceOr::Item(schema) => schema.schema_data.default.as_ref().map(render_default),
                ReferenceOr::Reference { .. } => None,
            };
            params.push(Param {
                wire: wire.clone(),
                name: names.claim(&naming::snake(wire)),
                location,
                required: data.required || location == ParamLocation::Path,
                ty: lowered.ty,
                default,
                docs: Docs {
                    summary: None,
                    description: data.description.clone(),
                    url: None,
                    deprecated: data.deprecated.unwrap_or(false),
                },
            });
        }

        let segments = self.parse_template(path, &mut params, pointer, &subject);
        // Path parameters in template order, then the rest in document order.
        let mut order: IndexSet<usize> = segments
            .iter()
            .flatten()
            .filter_map(|part| match part {
                PathPart::Param(index) => Some(*index),
                PathPart::Literal(_) => None,
            })
            .collect();
        order.extend((0..params.len()).filter(|&i| params[i].location != ParamLocation::Path));
        let mut reordered = Vec::with_capacity(params.len());
        let mut remap = vec![0; params.len()];
        for (new_index, &old_index) in order.iter().enumerate() {
            remap[old_index] = new_index;
            reordered.push(params[old_index].clone());
        }
        let segments = segments
            .into_iter()
            .map(|parts| {
                parts
                    .into_iter()
                    .map(|part| match part {
                        PathPart::Param(index) => PathPart::Param(remap[index]),
                        literal => literal,
                    })
                    .collect()
            })
            .collect();

        let body = operation.request_body.as_ref().and_then(|body| {
            self.lower_request_body(body, &pointer.join("requestBody"), &subject, &op_hint.child("body"))
        });
        let responses = self.lower_responses(operation, pointer, &subject, &op_hint);
        let output_name = (responses.iter().filter(|response| response.is_success()).count() > 1)
            .then(|| self.names.entry(home_key(&home)).or_default().claim(&format!("{type_name}Output")));

        Operation {
            id: id.to_owned(),
            type_name,
            fn_name,
            area: area.to_owned(),
            method,
            path: path.to_owned(),
            segments,
            params: reordered,
            body,
            responses,
            output_name,
            docs: Docs {
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                url: operation.external_docs.as_ref().map(|docs| docs.url.clone()),
                deprecated: operation.deprecated,
            },
            pointer: pointer.to_string(),
        }
    }

    fn resolve_parameter<'p>(
        &mut self,
        parameter: &'p ReferenceOr<Parameter>,
        pointer: &Pointer,
        subject: &str,
    ) -> Option<(&'p Parameter, Pointer)>
    where
        'a: 'p,
    {
        match parameter {
            ReferenceOr::Item(parameter) => Some((parameter, pointer.clone())),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| self.doc.components.as_ref()?.parameters.get(name));
                match found {
                    Some(ReferenceOr::Item(parameter)) => Some((parameter, Pointer::from_ref(reference))),
                    _ => {
                        self.errors.report(
                            pointer,
                            Some(subject),
                            format!("`$ref: {reference}` does not resolve to a parameter in #/components/parameters"),
                        );
                        None
                    }
                }
            }
        }
    }

    /// Splits a path template and checks it against the declared path parameters, both ways.
    fn parse_template(
        &mut self,
        path: &str,
        params: &mut [Param],
        pointer: &Pointer,
        subject: &str,
    ) -> Vec<Vec<PathPart>> {
        let mut segments = Vec::new();
        let mut used = vec![false; params.len()];
        for piece in path.split('/').filter(|piece| !piece.is_empty()) {
            let mut parts = Vec::new();
            let mut rest = piece;
            while !rest.is_empty() {
                let Some(open) = rest.find('{') else {
                    parts.push(PathPart::Literal(rest.to_owned()));
                    break;
                };
                if open > 0 {
                    parts.push(PathPart::Literal(rest[..open].to_owned()));
                }
                let Some(close) = rest[open..].find('}').map(|at| open + at) else {
                    self.errors.report(pointer, Some(subject), format!("path segment `{piece}` has an unclosed `{{`"));
                    parts.push(PathPart::Literal(rest[open..].to_owned()));
                    break;
                };
                let name = &rest[open + 1..close];
                match params.iter().position(|p| p.location == ParamLocation::Path && p.wire == name) {
                    Some(index) => {
                        used[index] = true;
                        parts.push(PathPart::Param(index));
                    }
                    None => {
                        self.errors.report(
                            &pointer.join("parameters"),
                            Some(subject),
                            format!("path template has `{{{name}}}` but no path parameter `{name}` is declared"),
                        );
                        parts.push(PathPart::Literal(rest[open..=close].to_owned()));
                    }
                }
                rest = &rest[close + 1..];
            }
            segments.push(parts);
        }
        for (index, param) in params.iter().enumerate() {
            if param.location == ParamLocation::Path && !used[index] {
                self.errors.report(
                    &pointer.join("parameters"),
                    Some(subject),
                    format!(
                        "path parameter `{}` is declared but the path template has no `{{{}}}`",
                        param.wire, param.wire
                    ),
                );
            }
        }
        segments
    }

    fn lower_request_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        pointer: &Pointer,
        subject: &str,
        hint: &Hint,
    ) -> Option<Body> {
        let (body, pointer, hint) = match body {
            ReferenceOr::Item(body) => (body, pointer.clone(), hint.clone()),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| Some((name, self.doc.components.as_ref()?.request_bodies.get(name)?)));
                match found {
                    Some((name, ReferenceOr::Item(body))) => {
                        (body, Pointer::from_ref(reference), Hint { name: naming::type_name(name), home: Home::Models })
                    }
                    _ => {
                        self.errors.report(
                            pointer,
                            Some(subject),
                            format!(
                                "`$ref: {reference}` does not resolve to a request body in #/components/requestBodies"
                            ),
                        );
                        return None;
                    }
                }
            }
        };
        let Some((media_type, content)) = pick_media_type(&body.content) else {
            self.errors.report(&pointer.join("content"), Some(subject), "request body has no media type");
            return None;
        };
        let (encoding, ty) = self.lower_content(media_type, content, &pointer.join("content"), subject, &hint);
        Some(Body {
            media_type: media_type.clone(),
            encoding,
            ty,
            required: body.required,
            docs: Docs { description: body.description.clone(), ..Docs::default() },
        })
    }

    /// The type of a body: JSON is typed by its schema (free-form without one); text is a `String` and any
    /// other media type raw bytes, whatever their schema says (GitHub describes e.g. a zip as `type: string`).
    fn lower_content(
        &mut self,
        media_type: &str,
        content: &openapiv3::MediaType,
        pointer: &Pointer,
        subject: &str,
        hint: &Hint,
    ) -> (BodyEncoding, Ty) {
        let encoding = BodyEncoding::of(media_type);
        let ty = match (encoding, &content.schema) {
            (BodyEncoding::Json, Some(schema)) => {
                self.lower_schema(schema, &pointer.join(media_type).join("schema"), subject, hint).ty
            }
            (BodyEncoding::Json, None) => Ty::Json,
            (BodyEncoding::Text, _) => Ty::String,
            (BodyEncoding::Binary, _) => Ty::Bytes,
        };
        (encoding, ty)
    }

    fn lower_responses(
        &mut self,
        operation: &openapiv3::Operation,
        pointer: &Pointer,
        subject: &str,
        op_hint: &Hint,
    ) -> Vec<Response> {
        let responses_pointer = pointer.join("responses");
        let mut documented: Vec<(u16, Pointer, Hint, &openapiv3::Response)> = Vec::new();
        for (status, response) in &operation.responses.responses {
            let StatusCode::Code(code) = status else { continue };
            let at = responses_pointer.join(code);
            let (response, at, hint) = match response {
                ReferenceOr::Item(response) => (response, at, None),
                ReferenceOr::Reference { reference } => {
                    let found = reference
                        .strip_prefix("#/components/responses/")
                        .and_then(|name| Some((name, self.doc.components.as_ref()?.responses.get(name)?)));
                    match found {
                        Some((name, ReferenceOr::Item(response))) => (
                            response,
                            Pointer::from_ref(reference),
                            Some(Hint { name: naming::type_name(name), home: Home::Models }),
                        ),
                        _ => {
                            self.errors.report(
                                &at,
                                Some(subject),
                                format!("`$ref: {reference}` does not resolve to a response in #/components/responses"),
                            );
                            continue;
                        }
                    }
                }
            };
            if !(100..=599).contains(code) {
                self.errors.report(&at, Some(subject), format!("`{code}` is not an HTTP status code"));
                continue;
            }
            let hint = hint.unwrap_or_else(|| op_hint.clone());
            documented.push((*code, at, hint, response));
        }
        documented.sort_by_key(|(code, ..)| *code);

        // Inline bodies are named `<Op>Response`, or `<Op><Status>Response` when several statuses have one.
        let inline_bodies = documented
            .iter()
            .filter(|(_, _, hint, response)| {
                hint.home != Home::Models
                    && pick_media_type(&response.content)
                        .and_then(|(_, content)| content.schema.as_ref())
                        .is_some_and(|schema| matches!(schema, ReferenceOr::Item(_)))
            })
            .count();
        documented
            .into_iter()
            .map(|(status, at, hint, response)| {
                let name = status_name(status);
                let hint = if hint.home != Home::Models {
                    let suffix = if inline_bodies > 1 { format!("{name}Response") } else { "Response".to_owned() };
                    Hint { name: format!("{}{suffix}", op_hint.name), home: hint.home }
                } else {
                    hint
                };
                let body = pick_media_type(&response.content).map(|(media_type, content)| {
                    let (encoding, ty) = self.lower_content(media_type, content, &at.join("content"), subject, &hint);
                    ResponseBody { media_type: media_type.clone(), encoding, ty }
                });
                Response {
                    status,
                    name,
                    description: response.description.clone(),
                    body,
                    location: response.headers.keys().any(|name| name.eq_ignore_ascii_case("location")),
                }
            })
            .collect()
    }
}

struct OperationSite<'o> {
    id: &'o str,
    type_name: String,
    fn_name: String,
    area: &'o str,
    method: Method,
    path: &'o str,
    path_parameters: &'o [ReferenceOr<Parameter>],
    operation: &'o openapiv3::Operation,
    pointer: &'o Pointer,
}

enum Shape<'s> {
    Primitive(Ty),
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    Map(&'s ReferenceOr<Schema>),
    Single((usize, &'static str, &'s ReferenceOr<Schema>)),
    Named,
}

const KNOWN_TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array"];

fn object_shape<'s>(
    properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
    additional: &'s Option<openapiv3::AdditionalProperties>,
) -> Shape<'s> {
    match additional {
        _ if !properties.is_empty() => Shape::Named,
        Some(openapiv3::AdditionalProperties::Schema(values)) => Shape::Map(values),
        // `additionalProperties: false` with no properties: GitHub's `empty-object`, a real (empty) type.
        Some(openapiv3::AdditionalProperties::Any(false)) => Shape::Named,
        _ => Shape::Primitive(Ty::Json),
    }
}

fn union_shape<'s>(branches: &'s [ReferenceOr<Schema>], keyword: &'static str) -> Shape<'s> {
    let mut non_null = branches.iter().enumerate().filter(|(_, branch)| !is_null_schema(branch));
    match (non_null.next(), non_null.next()) {
        (Some((index, only)), None) => Shape::Single((index, keyword, only)),
        (None, _) => Shape::Primitive(Ty::Json),
        _ => Shape::Named,
    }
}

/// `{ nullable: true }` or `{ type: "null" }`-like branches only say "may be null".
fn is_null_schema(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.as_deref() == Some("null")
                    || (any.typ.is_none()
                        && any.properties.is_empty()
                        && any.items.is_none()
                        && any.one_of.is_empty()
                        && any.any_of.is_empty()
                        && any.all_of.is_empty()
                        && schema.schema_data.nullable)
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

fn find_component_schema<'d>(doc: &'d OpenAPI, reference: &str) -> Option<&'d Schema> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    match doc.components.as_ref()?.schemas.get(name)? {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => find_component_schema(doc, reference),
    }
}

/// JSON first (`application/json`, then any `+json`, with a schema), else the first media type listed.
fn pick_media_type(content: &IndexMap<String, openapiv3::MediaType>) -> Option<(&String, &openapiv3::MediaType)> {
    let json = |name: &str| BodyEncoding::of(name) == BodyEncoding::Json;
    content
        .iter()
        .find(|(name, media)| name.as_str() == "application/json" && media.schema.is_some())
        .or_else(|| content.iter().find(|(name, media)| json(name) && media.schema.is_some()))
        .or_else(|| content.iter().next())
}

fn schema_docs(schema: &Schema) -> Docs {
    Docs {
        summary: schema.schema_data.title.clone(),
        description: schema.schema_data.description.clone(),
        url: schema.schema_data.external_docs.as_ref().map(|docs| docs.url.clone()),
        deprecated: schema.schema_data.deprecated,
    }
}

fn render_default(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn location_name(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn method_of(name: &str) -> Method {
    match name {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "patch" => Method::Patch,
        "head" => Method::Head,
        "options" => Method::Options,
        _ => Method::Trace,
    }
}

/// Variant name for a status: its reason phrase in UpperCamelCase (`204` → `NoContent`).
fn status_name(status: u16) -> String {
    let reason = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Gone",
        422 => "UnprocessableEntity",
        500 => "InternalServerError",
        503 => "ServiceUnavailable",
        _ => return format!("Status{status}"),
    };
    reason.to_owned()
}

/// Records on every type the areas whose operations reach it, so each model can sit behind the features that
/// need it.
fn mark_areas(api: &mut Api) {
    let mut reached: Vec<IndexSet<String>> = vec![IndexSet::new(); api.types.len()];
    for area in api.areas.values() {
        let mut stack: Vec<TypeId> = Vec::new();
        for operation in &area.operations {
            let tys =
                operation.params.iter().map(|param| &param.ty).chain(operation.body.iter().map(|body| &body.ty)).chain(
                    operation.responses.iter().filter_map(|response| response.body.as_ref().map(|body| &body.ty)),
                );
            for ty in tys {
                named_in(ty, &mut stack);
            }
        }
        while let Some(id) = stack.pop() {
            if !reached[id.0].insert(area.name.clone()) {
                continue;
            }
            for ty in referenced_types(&api.types[id.0].kind) {
                named_in(ty, &mut stack);
            }
        }
    }
    for (named, mut areas) in api.types.iter_mut().zip(reached) {
        if areas.is_empty() {
            // No operation reaches it (GitHub's webhook payloads, say): compiled only on request, with
            // everything it may refer to.
            areas.insert(crate::ir::UNREFERENCED_FEATURE.to_owned());
        }
        named.areas = areas;
    }
}

/// The types a type kind refers to directly.
pub(crate) fn referenced_types(kind: &TypeKind) -> Vec<&Ty> {
    match kind {
        TypeKind::Struct { fields, additional } => {
            fields.iter().map(|field| &field.ty).chain(additional.iter()).collect()
        }
        TypeKind::Union { variants } => variants.iter().map(|variant| &variant.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum { .. } => Vec::new(),
    }
}

/// Pushes every named type inside `ty`.
pub(crate) fn named_in(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Array(inner) | Ty::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Reports cycles of required, non-nullable properties (`a.b` needs a `b`, whose `a` needs an `a`, …): no finite
/// JSON value satisfies such a schema, so it is a mistake in the spec rather than something to box.
fn report_required_cycles(api: &Api, errors: &mut Collector) {
    // Edges: type → (field wire name, target) for each required, non-nullable field holding a named type.
    let edges: Vec<Vec<(&str, TypeId)>> = api
        .types
        .iter()
        .map(|named| match &named.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .filter(|field| !field.optional())
                .filter_map(|field| match &field.ty {
                    Ty::Named(target) => Some((field.wire.as_str(), *target)),
                    _ => None,
                })
                .collect(),
            TypeKind::Alias(Ty::Named(target)) => vec![("", *target)],
            _ => Vec::new(),
        })
        .collect();
    // Depth-first search with colours; each cycle is reported once, at the first type of it in document order.
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        New,
        Active,
        Done,
    }
    let mut colour = vec![Colour::New; api.types.len()];
    for start in 0..api.types.len() {
        if colour[start] != Colour::New {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = Colour::Active;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(&(_, TypeId(target))) = edges[node].get(*next) else {
                colour[node] = Colour::Done;
                path.pop();
                continue;
            };
            *next += 1;
            match colour[target] {
                Colour::New => {
                    colour[target] = Colour::Active;
                    path.push((target, 0));
                }
                Colour::Active => {
                    let from = path.iter().position(|&(n, _)| n == target).unwrap_or(0);
                    let steps: Vec<String> = path[from..]
                        .iter()
                        .map(|&(n, edge)| {
                            let field = edges[n][edge - 1].0;
                            format!("{}.{field}", api.types[n].name)
                        })
                        .collect();
                    let first = &api.types[target];
                    errors.report(
                        &Pointer::from_ref(&first.pointer),
                        Some(&format!("schema {}", first.pointer.rsplit('/').next().unwrap_or_default())),
                        format!(
                            "cycle of required, non-nullable references ({} → {}): no finite value satisfies it; make one of them optional or nullable",
                            steps.join(" → "),
                            first.name
                        ),
                    );
                }
                Colour::Done => {}
            }
        }
    }
}
