/// A value a template is rendered from: what every page's view model becomes before the engine runs.
///
/// The engine never sees `Any`: each case says how it interpolates and whether it is truthy, so a tag costs a
/// switch and no dynamic cast.
public enum TemplateValue: Sendable, Equatable {
    /// Absent: renders nothing, and is false in a section.
    case null
    /// Renders `true` or `false`; a section over it renders only when it is `true`.
    case bool(Bool)
    /// Renders in decimal.
    case int(Int)
    /// Renders in Swift's shortest form without a trailing `.0`: `1.21`, `3`, `1e+16`.
    case double(Double)
    /// Text, HTML-escaped by `{{name}}` and written as it is by `{{{name}}}` and `{{&name}}`.
    case string(String)
    /// Markup already safe to publish (rendered Markdown, an SVG chart): never escaped.
    case html(String)
    /// Items a section renders once each, with the item as the context; renders nothing as `{{name}}`.
    case list([TemplateValue])
    /// Fields dotted names look up; a section over it makes it the context. Renders nothing as `{{name}}`.
    case object(TemplateObject)

    /// Whether a section over this value renders: `null`, `false`, `""` and an empty list do not. Numbers are
    /// true, zero too: a count or a number of days of 0 is a fact to show.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let value): return value
        case .int, .double: return true
        case .string(let text), .html(let text): return text.isEmpty == false
        case .list(let items): return items.isEmpty == false
        case .object: return true
        }
    }
}

/// Named fields, as a template's dotted names see them.
public struct TemplateObject: Sendable, Equatable {
    /// The fields by name.
    public var fields: [String: TemplateValue]

    /// An object with these fields.
    public init(_ fields: [String: TemplateValue] = [:]) { self.fields = fields }

    /// The field named `name`, or `nil`.
    public subscript(name: String) -> TemplateValue? {
        get { fields[name] }
        set { fields[name] = newValue }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `.int`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `.list`.
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    /// `.object`; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(Dictionary(elements, uniquingKeysWith: { _, last in last })))
    }
    /// `.null`.
    public init(nilLiteral: ()) { self = .null }
}
