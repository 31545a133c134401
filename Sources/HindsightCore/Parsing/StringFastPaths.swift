extension StringProtocol {
    /// Without leading and trailing spaces and tabs (Unicode's space separators), keeping newlines: what
    /// `trimmingCharacters(in: .whitespaces)` does, without Foundation's detour through `NSString`, which was a
    /// tenth of the time spent parsing post-mortems.
    func trimmedWhitespace() -> String { trimmedWhitespace(and: "") }

    /// Without leading and trailing spaces, tabs and any character of `extra`.
    func trimmedWhitespace(and extra: String) -> String {
        // Most text starts and ends with a letter or digit: nothing to trim, no walk over Characters. (A letter
        // with combining marks is still neither whitespace nor one of `extra`'s punctuation.)
        let bytes = utf8
        if let first = bytes.first, Self.keeps(first, extra),
            Self.keeps(bytes[bytes.index(bytes.startIndex, offsetBy: bytes.count - 1)], extra)
        {
            return String(self)
        }
        let trim = { (c: Character) in (c.isWhitespace && !c.isNewline) || extra.contains(c) }
        guard let start = firstIndex(where: { !trim($0) }) else { return "" }
        let end = lastIndex(where: { !trim($0) })!
        return String(self[start...end])
    }

    /// An ASCII letter or digit that is not one of `extra`.
    private static func keeps(_ byte: UInt8, _ extra: String) -> Bool {
        let alphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
        return alphanumeric && extra.utf8.contains(byte) == false
    }
}

extension StringProtocol {
    /// Whether the text holds `needle`, compared byte for byte in UTF-8 (ASCII letters of the text lowercased
    /// when `caseInsensitive`, so `needle` is written in lowercase): Foundation's `contains` goes through
    /// `CFStringFind`, which cost more than the parse itself on every paragraph.
    func containsUTF8(_ needle: String, caseInsensitive: Bool = false) -> Bool {
        var pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        pattern.removeFirst()
        if let found = utf8.withContiguousStorageIfAvailable({ Self.find(first, pattern, in: $0, caseInsensitive: caseInsensitive) }) {
            return found
        }
        var copy = String(self)
        return copy.withUTF8 { Self.find(first, pattern, in: $0, caseInsensitive: caseInsensitive) }
    }

    private static func find(
        _ first: UInt8, _ rest: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, caseInsensitive: Bool
    ) -> Bool {
        let count = bytes.count - rest.count
        guard count > 0 else { return false }
        // Bounds were checked above: `index + 1 + offset` stays below `bytes.count`.
        @inline(__always) func fold(_ byte: UInt8) -> UInt8 {
            caseInsensitive && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        var index = 0
        while index < count {
            if fold(bytes[index]) == first {
                var matched = true
                for (offset, byte) in rest.enumerated() where fold(bytes[index + 1 + offset]) != byte {
                    matched = false
                    break
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }
}

extension String {
    /// The last occurrence of `needle`, compared byte for byte in UTF-8: what `range(of:options: .backwards)`
    /// finds for the plain separators the extractors look for, at a fraction of the cost of Foundation's or
    /// the standard library's general search. A match always starts on a scalar boundary, because UTF-8 never
    /// starts a scalar with a continuation byte.
    func lastUTF8Range(of needle: String) -> Range<String.Index>? {
        let haystack = Array(utf8), pattern = Array(needle.utf8)
        guard pattern.isEmpty == false, haystack.count >= pattern.count else { return nil }
        var start = haystack.count - pattern.count
        while start >= 0 {
            if haystack[start] == pattern[0], haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                return lower..<utf8.index(lower, offsetBy: pattern.count)
            }
            start -= 1
        }
        return nil
    }
}
