import Foundation
import HindsightCore

/// Writes an `Encodable` value out canonically as it encodes, for a page's key (`PageKey`): a tag before each
/// value, lengths before texts, and every nested value between brackets, so no two values write the same bytes.
/// Fields come in the order the type encodes them, which for synthesized conformances is the declaration order.
final class KeyEncoder: Encoder {
    var bytes: [UInt8] = []
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() { bytes.reserveCapacity(2048) }

    /// The key (`ContentKey`, hex) of `values`, written one after another.
    static func key(_ values: [any Encodable]) -> String {
        let encoder = KeyEncoder()
        for value in values { encoder.nested(value) }
        return ContentKey.of(encoder.bytes).hex
    }

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

    func integer(_ value: Int) {
        bytes.append(0x69)  // i
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func double(_ value: Double) {
        bytes.append(0x66)  // f
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedKeyContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedKeyContainer(encoder: self) }
    func singleValueContainer() -> any SingleValueEncodingContainer { SingleKeyContainer(encoder: self) }
}

private struct KeyedKeyContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: KeyEncoder
    var codingPath: [any CodingKey] { [] }

    private func name(_ key: Key) { encoder.text(0x6B, key.stringValue) }  // k

    mutating func encodeNil(forKey key: Key) throws {
        name(key)
        encoder.bytes.append(0x6E)
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        name(key)
        encoder.bytes.append(value ? 0x54 : 0x46)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        name(key)
        encoder.text(0x73, value)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        name(key)
        encoder.integer(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        name(key)
        encoder.double(value)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        name(key)
        encoder.nested(value)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        name(key)
        encoder.bytes.append(0x5B)  // [: a nested container, written in order
        return KeyedEncodingContainer(KeyedKeyContainer<NestedKey>(encoder: encoder))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        name(key)
        encoder.bytes.append(0x5B)
        return UnkeyedKeyContainer(encoder: encoder)
    }
    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        name(key)
        return encoder
    }
}

private struct UnkeyedKeyContainer: UnkeyedEncodingContainer {
    let encoder: KeyEncoder
    var count = 0
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws {
        count += 1
        encoder.bytes.append(0x6E)
    }
    mutating func encode(_ value: Bool) throws {
        count += 1
        encoder.bytes.append(value ? 0x54 : 0x46)
    }
    mutating func encode(_ value: String) throws {
        count += 1
        encoder.text(0x73, value)
    }
    mutating func encode(_ value: Int) throws {
        count += 1
        encoder.integer(value)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        count += 1
        encoder.nested(value)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        encoder.bytes.append(0x5B)
        return KeyedEncodingContainer(KeyedKeyContainer<NestedKey>(encoder: encoder))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        encoder.bytes.append(0x5B)
        return UnkeyedKeyContainer(encoder: encoder)
    }
    mutating func superEncoder() -> any Encoder { encoder }
}

private struct SingleKeyContainer: SingleValueEncodingContainer {
    let encoder: KeyEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.bytes.append(0x6E) }
    mutating func encode(_ value: Bool) throws { encoder.bytes.append(value ? 0x54 : 0x46) }
    mutating func encode(_ value: String) throws { encoder.text(0x73, value) }
    mutating func encode(_ value: Int) throws { encoder.integer(value) }
    mutating func encode(_ value: Double) throws { encoder.double(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.nested(value) }
}
