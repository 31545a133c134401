extension StringProtocol {
    /// Without leading and trailing spaces and tabs (Unicode's space separators), keeping newlines: what
    /// `trimmingCharacters(in: .whitespaces)` does, without Foundation's detour through `NSString`, which was a
    /// tenth of the time spent parsing post-mortems.
    func trimmedWhitespace() -> String { trimmedWhitespace(and: "") }

    /// Without leading and trailing spaces, tabs and any character of `extra`.
    func trimmedWhitespace(and extra: String) -> String {
        let trim = { (c: Character) in (c.isWhitespace && !c.isNewline) || extra.contains(c) }
        guard let start = firstIndex(where: { !trim($0) }) else { return "" }
        let end = lastIndex(where: { !trim($0) })!
        return String(self[start...end])
    }
}
