/// Turns an `Encodable` view model into the `TemplateValue` a template is rendered from.
///
/// A view model is a plain struct: its stored properties are what the template sees, named in snake case
/// (`bodyHTML` is `{{body_html}}`, `hasTOC` is `{{#has_toc}}`), so adding a field is one edit the compiler checks.
/// An optional that is nil is `null`, never a missing name: a missing name would be looked up in the enclosing
/// contexts and could show an outer value.
public enum TemplateEncoder {
    /// The template value of `value`.
    public static func encode<Value: Encodable>(_ value: Value) -> TemplateValue {
        // The two values that are their own template value, known by their type alone: a cast to a protocol
        // would look its conformance up for every nested value of every page.
        if Value.self == HTML.self { return .html((value as! HTML).markup) }
        if Value.self == TemplateValue.self { return value as! TemplateValue }
        if Value.self == String.self { return .string(value as! String) }
        let encoder = ValueEncoder()
        do { try value.encode(to: encoder) } catch { return .null }
        return encoder.box.value
    }

    /// `camelCase` and `HTMLBody` as `camel_case` and `html_body`; a name without capitals as it is.
    static func snakeCase(_ name: String) -> String {
        guard name.utf8.contains(where: isUpper) else { return name }
        let bytes = Array(name.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for (index, byte) in bytes.enumerated() {
            if isUpper(byte) {
                let previous = index > 0 ? bytes[index - 1] : nil
                let next = index + 1 < bytes.count ? bytes[index + 1] : nil
                // A word starts at a capital after a small letter or digit, or at the last capital of an acronym.
                if let previous, previous != UInt8(ascii: "_"),
                    !isUpper(previous) || (next.map { !isUpper($0) && $0 != UInt8(ascii: "_") && !isDigit($0) } ?? false)
                {
                    out.append(UInt8(ascii: "_"))
                }
                out.append(byte + 32)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

/// Markup that is safe to publish as it is (rendered Markdown, an SVG chart, a card rendered already).
public struct HTML: Encodable, Sendable, Hashable {
    public let markup: String
    public init(_ markup: String) { self.markup = markup }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(markup)
    }
}

extension TemplateValue: Encodable {
    /// A template value encoded elsewhere (a page key, say): scalars as themselves, objects keyed.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let text), .html(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let object):
            var container = encoder.container(keyedBy: NameKey.self)
            for (name, value) in object.fields { try container.encode(value, forKey: NameKey(name)) }
        }
    }
}

/// A field name as a coding key.
struct NameKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { return nil }
}

/// What one encoder or container is writing: a scalar, an object or a list. Containers asked for later (a
/// struct that encodes a base value, then its own fields) write into the same box.
final class ValueBox {
    enum Kind { case empty, scalar, object, list }

    var kind = Kind.empty
    var scalar = TemplateValue.null
    var fields: [String: TemplateValue] = [:]
    var items: [TemplateValue] = []
    /// Containers nested by name or place, filled in when the value is finished.
    var nestedFields: [(String, ValueBox)] = []
    var nestedItems: [(Int, ValueBox)] = []

    /// The finished value, with nested containers' boxes filled in.
    var value: TemplateValue {
        switch kind {
        case .empty: return .null
        case .scalar: return scalar
        case .object:
            for (name, box) in nestedFields { fields[name] = box.value }
            return .object(TemplateObject(fields))
        case .list:
            for (index, box) in nestedItems where index < items.count { items[index] = box.value }
            return .list(items)
        }
    }

    func setScalar(_ value: TemplateValue) {
        kind = .scalar
        scalar = value
    }

    func set(_ name: String, _ value: TemplateValue) {
        makeObject()
        fields[name] = value
    }

    func nest(_ name: String) -> ValueBox {
        let box = ValueBox()
        set(name, .null)
        nestedFields.append((name, box))
        return box
    }

    func append(_ value: TemplateValue) {
        makeList()
        items.append(value)
    }

    func appendNested() -> ValueBox {
        let box = ValueBox()
        append(.null)
        nestedItems.append((items.count - 1, box))
        return box
    }

    var count: Int { kind == .list ? items.count : fields.count }

    func makeObject() {
        if kind != .object {
            kind = .object
            fields.reserveCapacity(8)
        }
    }

    func makeList() {
        if kind != .list { kind = .list }
    }
}

/// The `Encoder` behind `TemplateEncoder`.
final class ValueEncoder: Encoder {
    let box: ValueBox
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(box: ValueBox = ValueBox()) { self.box = box }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.makeList()
        return UnkeyedContainer(box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(box: box) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueBox
    var codingPath: [any CodingKey] { [] }

    private func name(_ key: Key) -> String { TemplateEncoder.snakeCase(key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws { box.set(name(key), .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(name(key), .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(name(key), .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { box.set(name(key), .double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { box.set(name(key), .double(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(name(key), .int(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { box.set(name(key), .int(Int(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { box.set(name(key), .int(Int(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { box.set(name(key), .int(Int(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(name(key), .int(Int(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { box.set(name(key), .int(Int(truncatingIfNeeded: value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { box.set(name(key), .int(Int(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { box.set(name(key), .int(Int(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { box.set(name(key), .int(Int(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { box.set(name(key), .int(Int(truncatingIfNeeded: value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(name(key), TemplateEncoder.encode(value))
    }

    // A nil optional is `null`: the name is present, so the template does not look for it further out.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { box.set(name(key), value.map { .bool($0) } ?? .null) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { box.set(name(key), value.map { .string($0) } ?? .null) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { box.set(name(key), value.map { .int($0) } ?? .null) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { box.set(name(key), value.map { .double($0) } ?? .null) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        box.set(name(key), value.map { TemplateEncoder.encode($0) } ?? .null)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = box.nest(name(key))
        nested.makeObject()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = box.nest(name(key))
        nested.makeList()
        return UnkeyedContainer(box: nested)
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(box: box.nest("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ValueEncoder(box: box.nest(name(key))) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ValueBox
    var codingPath: [any CodingKey] { [] }
    var count: Int { box.count }

    mutating func encodeNil() throws { box.append(.null) }
    mutating func encode(_ value: Bool) throws { box.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.append(.double(value)) }
    mutating func encode(_ value: Int) throws { box.append(.int(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { box.append(TemplateEncoder.encode(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = box.appendNested()
        nested.makeObject()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = box.appendNested()
        nested.makeList()
        return UnkeyedContainer(box: nested)
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(box: box.appendNested()) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let box: ValueBox
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { box.setScalar(.null) }
    mutating func encode(_ value: Bool) throws { box.setScalar(.bool(value)) }
    mutating func encode(_ value: String) throws { box.setScalar(.string(value)) }
    mutating func encode(_ value: Double) throws { box.setScalar(.double(value)) }
    mutating func encode(_ value: Float) throws { box.setScalar(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { box.setScalar(.int(value)) }
    mutating func encode(_ value: Int8) throws { box.setScalar(.int(Int(value))) }
    mutating func encode(_ value: Int16) throws { box.setScalar(.int(Int(value))) }
    mutating func encode(_ value: Int32) throws { box.setScalar(.int(Int(value))) }
    mutating func encode(_ value: Int64) throws { box.setScalar(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { box.setScalar(.int(Int(truncatingIfNeeded: value))) }
    mutating func encode(_ value: UInt8) throws { box.setScalar(.int(Int(value))) }
    mutating func encode(_ value: UInt16) throws { box.setScalar(.int(Int(value))) }
    mutating func encode(_ value: UInt32) throws { box.setScalar(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { box.setScalar(.int(Int(truncatingIfNeeded: value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { box.setScalar(TemplateEncoder.encode(value)) }
}

/// Two view models seen as one object: `base`'s fields, then `extra`'s (which win where names repeat).
public struct Merged<Base: Encodable, Extra: Encodable>: Encodable {
    public let base: Base
    public let extra: Extra

    public init(_ base: Base, _ extra: Extra) {
        self.base = base
        self.extra = extra
    }

    public func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        try extra.encode(to: encoder)
    }
}
