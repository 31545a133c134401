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

    /// The value of `value` (`value.templateValue`).
    @inlinable
    public init(_ value: some TemplateRepresentable) { self = value.templateValue }

    /// This object's fields and then `other`'s, as one object (`other`'s win where names repeat): a page's common
    /// fields and its own, a card's fields and a post-mortem page's. `other` when either is not an object.
    public func merging(_ other: TemplateValue) -> TemplateValue {
        guard case .object(let base) = self, case .object(let extra) = other else { return other }
        return .object(TemplateObject(fields: base.fields + extra.fields))
    }
}

/// Named fields, as a template's dotted names see them.
///
/// The fields are kept in the order they were given, and a name given twice means its last value: building an
/// object is filling one array, with no hashing, and merging two is appending. A lookup reads the fields from
/// the last, comparing lengths before texts; a view model has a few dozen fields at most.
public struct TemplateObject: Sendable, Equatable {
    /// The fields in the order given; where a name repeats, the last one is the field.
    public private(set) var fields: [(String, TemplateValue)]

    /// An object with these fields, in this order (the last of a repeated name counts).
    public init(fields: [(String, TemplateValue)]) { self.fields = fields }

    /// An object with these fields.
    public init(_ fields: [String: TemplateValue] = [:]) {
        self.fields = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The field named `name`, or `nil`; setting it replaces the field or adds it at the end.
    public subscript(name: String) -> TemplateValue? {
        get { field(name) }
        set {
            fields.removeAll { $0.0 == name }
            if let newValue { fields.append((name, newValue)) }
        }
    }

    /// The field named `name`, or `nil`.
    @inline(__always)
    func field(_ name: String) -> TemplateValue? {
        let count = name.utf8.count
        return fields.withUnsafeBufferPointer { fields in
            var index = fields.count - 1
            while index >= 0 {
                if fields[index].0.utf8.count == count, fields[index].0 == name { return fields[index].1 }
                index -= 1
            }
            return nil
        }
    }

    /// The fields by name, the last of a repeated name winning.
    var dictionary: [String: TemplateValue] { Dictionary(fields, uniquingKeysWith: { _, last in last }) }

    /// Objects are equal when they have the same fields by name, whatever their order.
    public static func == (lhs: TemplateObject, rhs: TemplateObject) -> Bool { lhs.dictionary == rhs.dictionary }
}

/// A value that says how templates see it. View models conform by listing their fields in `templateValue`
/// under the names templates use (snake case: `bodyHTML` is `body_html`), each field's own conformance
/// turning it into a value, which the compiler checks. A nil optional is `null`, never a missing name: a
/// missing name would be looked up in the enclosing contexts and could show an outer value.
public protocol TemplateRepresentable {
    /// The value a template sees.
    var templateValue: TemplateValue { get }
}

/// Markup that is safe to publish as it is (rendered Markdown, an SVG chart, a card rendered already).
public struct HTML: Encodable, Sendable, Hashable, TemplateRepresentable {
    /// The markup.
    public let markup: String
    /// Markup known to be safe.
    public init(_ markup: String) { self.markup = markup }
    /// Encodes as its markup (in a page's key).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(markup)
    }
    /// `.html`: never escaped.
    @inlinable
    public var templateValue: TemplateValue { .html(markup) }
}

extension TemplateValue: TemplateRepresentable {
    /// The value itself.
    @inlinable
    public var templateValue: TemplateValue { self }
}

extension String: TemplateRepresentable {
    /// `.string`.
    @inlinable
    public var templateValue: TemplateValue { .string(self) }
}

extension Int: TemplateRepresentable {
    /// `.int`.
    @inlinable
    public var templateValue: TemplateValue { .int(self) }
}

extension Bool: TemplateRepresentable {
    /// `.bool`.
    @inlinable
    public var templateValue: TemplateValue { .bool(self) }
}

extension Double: TemplateRepresentable {
    /// `.double`.
    @inlinable
    public var templateValue: TemplateValue { .double(self) }
}

extension Optional: TemplateRepresentable where Wrapped: TemplateRepresentable {
    /// The wrapped value's, or `null`.
    @inlinable
    public var templateValue: TemplateValue {
        switch self {
        case .some(let value): return value.templateValue
        case .none: return .null
        }
    }
}

extension Array: TemplateRepresentable where Element: TemplateRepresentable {
    /// `.list` of the elements' values.
    @inlinable
    public var templateValue: TemplateValue { .list(map { $0.templateValue }) }
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
    /// `.object`, the fields in the order written; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self = .object(TemplateObject(fields: elements)) }
    /// `.null`.
    public init(nilLiteral: ()) { self = .null }
}
