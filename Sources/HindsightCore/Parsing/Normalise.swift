import Foundation

/// Spelling rules shared by the parser and the archive: severities, types, statuses, slugs.
public enum Normalise {
    /// The configured spelling of a severity (`sev1`, `Sev 1` → `SEV1`), or nil when not on the scale.
    public static func severity(_ text: String, scale: [String]) -> String? {
        let key = squash(text)
        return scale.first { squash($0) == key }
    }

    /// A factor type in its configured spelling, else Title Case; empty means "Unclassified".
    public static func factorType(_ text: String, known: [String]) -> String {
        let trimmed = text.trimmedWhitespace(and: "*_:.`")
        // Nothing that can name a page (`?`, `-`) says no more than no type at all.
        if trimmed.isEmpty || slug(trimmed).isEmpty { return "Unclassified" }
        let key = squash(trimmed)
        if let match = known.first(where: { squash($0) == key }) { return match }
        // Common British/American variants of the default types.
        if key == "organisational", let match = known.first(where: { squash($0) == "organizational" }) { return match }
        return trimmed.split(separator: " ").map { word in
            // Acronyms (DNS, CDN) stay as written.
            word.count > 1 && word.allSatisfy({ $0.isUppercase || $0.isNumber })
                ? String(word) : word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }.joined(separator: " ")
    }

    /// Whether a short text is one of the known factor types.
    static func isKnownFactorType(_ text: String, known: [String]) -> Bool {
        let key = squash(text)
        return known.contains { squash($0) == key } || key == "organisational" || key == "unclassified"
    }

    /// Action-item statuses: `done`, `in-progress`, `open`, or the text lowercased.
    public static func actionStatus(_ text: String) -> String {
        let key = text.lowercased().trimmedWhitespace()
            .replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        let plain = key.filter { $0.isLetter || $0 == " " }.trimmedWhitespace()
        switch plain {
        case "done", "closed", "complete", "completed", "fixed", "resolved", "shipped", "finished", "merged":
            return "done"
        case "in progress", "inprogress", "wip", "started", "ongoing", "doing", "in review":
            return "in-progress"
        case "", "open", "todo", "to do", "not started", "planned", "new", "pending", "backlog":
            return "open"
        default:
            return plain.isEmpty ? "open" : plain
        }
    }

    /// `P1`, `p1`, `P-1`, `Priority 1` → `P1`; other words kept as written.
    public static func priority(_ text: String) -> String? {
        let trimmed = text.trimmedWhitespace()
        if trimmed.isEmpty { return nil }
        let key = squash(trimmed)
        if key.hasPrefix("priority") {
            let rest = key.dropFirst("priority".count)
            if rest.count == 1, rest.first!.isNumber { return "P" + rest }
        }
        if key.count == 2, key.first == "p", key.last!.isNumber { return key.uppercased() }
        return trimmed
    }

    /// A URL-safe slug: lowercase letters and digits (diacritics folded), words joined by '-'.
    ///
    /// Text of only symbols (emoji) gets its code points (`u1f525`) so that a tag or type still names a
    /// page; with `symbols: false` it gets an empty slug instead, for post-mortem ids, which the author
    /// can choose (`id:`) and is asked to.
    public static func slug(_ text: String, symbols: Bool = true) -> String {
        // ASCII has no diacritics to fold: lowercasing is all folding does to it, without Foundation's bridge.
        let folded = text.utf8.allSatisfy { $0 < 0x80 }
            ? text.lowercased() : text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out = ""
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            let isASCIIAlnum = (scalar.value >= 48 && scalar.value <= 57) || (scalar.value >= 97 && scalar.value <= 122)
            if isASCIIAlnum || (scalar.value > 127 && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)) {
                if pendingDash && out.isEmpty == false { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else if scalar == "_" {
                if out.isEmpty == false, pendingDash == false { out.unicodeScalars.append("_") }
            } else {
                pendingDash = true
            }
        }
        while out.hasSuffix("-") || out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty, symbols {
            // Only symbols, such as a tag or type of only emoji: their code points still name a page,
            // where an empty slug would name the parent folder. ASCII punctuation alone stays empty.
            out = folded.unicodeScalars.filter { $0.value > 127 && $0.properties.isWhitespace == false }
                .map { "u" + String($0.value, radix: 16) }.joined(separator: "-")
        }
        if out.count > 120 { out = String(out.prefix(120)) }
        while out.hasSuffix("-") || out.hasSuffix("_") { out.removeLast() }
        return out
    }

    /// Lowercased with spaces, hyphens and underscores removed.
    static func squash(_ text: String) -> String {
        text.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" }
    }
}

/// Slugs of names met again and again (a service or factor type on thousands of post-mortems), each made once:
/// `Normalise.slug` lowercases and walks the name's scalars every time.
public struct Slugs {
    private var known: [String: String] = [:]

    public init() {}

    public mutating func callAsFunction(_ name: String) -> String {
        if let slug = known[name] { return slug }
        let slug = Normalise.slug(name)
        known[name] = slug
        return slug
    }
}
