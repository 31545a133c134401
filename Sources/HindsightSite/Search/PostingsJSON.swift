import Foundation

/// A shard's JSON, `{"terms":{"term":[docDelta,weight,…],…}}` with the terms in order, written straight to bytes.
///
/// JSONEncoder took 99% of the time a shard costs (twenty milliseconds each at 10,000 post-mortems): a whole index
/// is two hundred shards, and an edit that moves a post-mortem's length to another step of the length grid
/// makes a quarter of them again. The shape is fixed and holds only terms and integers, so what an encoder adds
/// (reflection, boxing every number) buys nothing here; the test suite checks it parses to what JSONEncoder gives.
enum PostingsJSON {
    /// The JSON of `terms`, terms sorted as `postingsBytes` sorts them.
    static func encode(_ terms: [String: [Int32]]) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(16 + terms.reduce(0) { $0 + $1.key.utf8.count + 4 + $1.value.count * 4 })
        out.append(contentsOf: #"{"terms":{"#.utf8)
        for (number, (term, list)) in terms.sorted(by: { $0.key < $1.key }).enumerated() {
            if number > 0 { out.append(UInt8(ascii: ",")) }
            appendString(term, to: &out)
            out.append(contentsOf: ":[".utf8)
            for (place, value) in list.enumerated() {
                if place > 0 { out.append(UInt8(ascii: ",")) }
                appendInteger(value, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: "}}".utf8)
        return Data(out)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as its UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// An integer in decimal.
    static func appendInteger(_ value: Int32, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // At most ten digits, written backwards into a small buffer.
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }
}
