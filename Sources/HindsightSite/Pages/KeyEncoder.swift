import Foundation
import HindsightCore

/// Writes an `Encodable` value out canonically as it encodes, for a page's key (`PageKey`): a tag before each
/// value, lengths before texts, names before fields and every nested value between brackets, so no two values
/// write the same bytes. Fields come in the order the type encodes them, which for synthesized conformances is
/// the declaration order.
final class KeyEncoder: Encoder {
    /// Appended to by one encoding at a time, on one thread: the dynamic exclusivity checks of every append were
    /// a fifth of a key's cost.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() { bytes.reserveCapacity(1024) }

    /// The key (`ContentKey`, hex) of `value`.
    static func key(_ value: some Encodable) -> String {
        let encoder = KeyEncoder()
        encoder.nested(value)
        return encoder.key
    }

    /// The key of what has been written.
    var key: String { ContentKey.of(bytes).hex }

    func nested(_ value: some Encodable) {
        bytes.append(0x7B)  // {
        try? value.encode(to: self)
        bytes.append(0x7D)  // }
    }

    func text(_ tag: UInt8, _ text: String) {
        bytes.append(tag)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: text.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: text.utf8)
    }

    func number(_ tag: UInt8, _ bits: UInt64) {
        bytes.append(tag)
        withUnsafeBytes(of: bits.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { KeyContainer<NameKey>(encoder: self) }
    func singleValueContainer() -> any SingleValueEncodingContainer { KeyContainer<NameKey>(encoder: self) }
}

/// A field name as a coding key (for the containers without names).
struct NameKey: CodingKey {
    let stringValue: String
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

/// Every container of a `KeyEncoder`: a keyed one writes each field's name, then the value as the unkeyed and
/// single-value containers write it.
private struct KeyContainer<Key: CodingKey>: KeyedEncodingContainerProtocol, UnkeyedEncodingContainer,
    SingleValueEncodingContainer
{
    let encoder: KeyEncoder
    var count = 0
    var codingPath: [any CodingKey] { [] }

    init(encoder: KeyEncoder) { self.encoder = encoder }

    private func name(_ key: Key) { encoder.text(0x6B, key.stringValue) }  // k

    mutating func encodeNil() throws {
        count += 1
        encoder.bytes.append(0x6E)  // n
    }
    mutating func encode(_ value: Bool) throws {
        count += 1
        encoder.bytes.append(value ? 0x54 : 0x46)  // T, F
    }
    mutating func encode(_ value: String) throws {
        count += 1
        encoder.text(0x73, value)  // s
    }
    mutating func encode(_ value: Int) throws {
        count += 1
        encoder.number(0x69, UInt64(bitPattern: Int64(value)))  // i
    }
    mutating func encode(_ value: Double) throws {
        count += 1
        encoder.number(0x66, value.bitPattern)  // f
    }
    mutating func encode(_ value: some Encodable) throws {
        count += 1
        encoder.nested(value)
    }
    // The other widths, written as `Int` and `Double` are: without these the generic method above would take
    // them, and their `encode(to:)` would come back to it for ever.
    mutating func encode(_ value: Int8) throws { try encode(Int(value)) }
    mutating func encode(_ value: Int16) throws { try encode(Int(value)) }
    mutating func encode(_ value: Int32) throws { try encode(Int(value)) }
    mutating func encode(_ value: Int64) throws { try encode(Int(value)) }
    mutating func encode(_ value: UInt) throws { try encode(Int(truncatingIfNeeded: value)) }
    mutating func encode(_ value: UInt8) throws { try encode(Int(value)) }
    mutating func encode(_ value: UInt16) throws { try encode(Int(value)) }
    mutating func encode(_ value: UInt32) throws { try encode(Int(value)) }
    mutating func encode(_ value: UInt64) throws { try encode(Int(truncatingIfNeeded: value)) }
    mutating func encode(_ value: Float) throws { try encode(Double(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { name(key); try encode(value) }

    // A field: its name, then its value as above.
    mutating func encodeNil(forKey key: Key) throws { name(key); try encodeNil() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { name(key); try encode(value) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws { name(key); try encode(value) }

    // A nested container's values are written in order after a bracket.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        encoder.bytes.append(0x5B)  // [
        return KeyedEncodingContainer(KeyContainer<NestedKey>(encoder: encoder))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        encoder.bytes.append(0x5B)
        return KeyContainer<NameKey>(encoder: encoder)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        name(key)
        return nestedContainer(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        name(key)
        return nestedUnkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        name(key)
        return encoder
    }
}
