import Foundation

/// Findings an archive has accepted for now (`hindsight check --baseline FILE`), so an existing archive can
/// adopt the gate without failing on day one while every new finding still fails.
///
/// A finding is matched by rule id, path and a fingerprint of the text it points at (the offending line,
/// whitespace collapsed, and the flagged span), never by line number: edits elsewhere in the file leave a
/// baselined finding hidden, and a new finding, or an edit to the offending line, shows again. Entries are
/// matched one for one, so a second identical finding in the same file is new.
///
/// The file is JSON, one entry per finding in path, rule and fingerprint order:
///
/// ```json
/// {
///   "findings" : [
///     { "fingerprint" : "3c6b0e8d1f2a4b57", "message" : "…", "path" : "Content/a.md", "rule" : "blame/language" }
///   ],
///   "version" : 1
/// }
/// ```
///
/// `message` is there for people reviewing the file; matching ignores it.
public struct Baseline: Sendable, Hashable {
    /// One accepted finding.
    public struct Entry: Sendable, Hashable, Comparable, Codable {
        public var rule: String
        /// Path from the repository root; empty for findings about the run rather than a file.
        public var path: String
        public var fingerprint: String
        public var message: String

        public init(rule: String, path: String, fingerprint: String, message: String) {
            self.rule = rule
            self.path = path
            self.fingerprint = fingerprint
            self.message = message
        }

        public static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.path, lhs.rule, lhs.fingerprint, lhs.message) < (rhs.path, rhs.rule, rhs.fingerprint, rhs.message)
        }

        /// What matching compares.
        var key: Key { Key(rule: rule, path: path, fingerprint: fingerprint) }
    }

    struct Key: Hashable {
        var rule: String
        var path: String
        var fingerprint: String
    }

    /// The entries, sorted.
    public private(set) var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted()
    }

    /// A baseline recording `findings`, fingerprinted against the files' text.
    public init(findings: [Finding], texts: BaselineTexts) {
        self.init(entries: findings.map { texts.entry(for: $0) })
    }

    /// The findings the baseline does not hold, and how many it hid.
    public func filter(_ findings: [Finding], texts: BaselineTexts) -> (kept: [Finding], hidden: Int) {
        var remaining: [Key: Int] = [:]
        for entry in entries { remaining[entry.key, default: 0] += 1 }
        var kept: [Finding] = []
        var hidden = 0
        for finding in findings {
            let key = texts.entry(for: finding).key
            if let count = remaining[key], count > 0 {
                remaining[key] = count - 1
                hidden += 1
            } else {
                kept.append(finding)
            }
        }
        return (kept, hidden)
    }

    private struct File: Codable {
        var version: Int
        var findings: [Entry]
    }

    /// The file's bytes: pretty-printed JSON with sorted keys and a final newline, so it diffs well.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        let data = (try? encoder.encode(File(version: 1, findings: entries))) ?? Data()
        return data + Data("\n".utf8)
    }

    /// Reads a baseline file; throws `CheckUsageError` when it is not one.
    public static func decode(_ data: Data, path: String) throws -> Baseline {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw CheckUsageError("'\(path)' is not a hindsight baseline (write one with --write-baseline \(path))")
        }
        guard file.version == 1 else {
            throw CheckUsageError("'\(path)' is a version \(file.version) baseline; this hindsight reads version 1")
        }
        return Baseline(entries: file.findings)
    }
}

/// The text of the checked files, for fingerprinting findings against the lines they point at.
public struct BaselineTexts: Sendable {
    private var lines: [String: [Substring]]

    /// `files` maps a path from the repository root to the file's bytes.
    public init(files: [String: Data]) {
        lines = files.mapValues { data in
            // "\r\n" is one Character in Swift, so it is a separator of its own.
            String(decoding: data, as: UTF8.self).split(
                omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        }
    }

    /// The baseline entry that records `finding`.
    public func entry(for finding: Finding) -> Baseline.Entry {
        Baseline.Entry(
            rule: finding.ruleID, path: finding.location?.path ?? "", fingerprint: fingerprint(finding),
            message: finding.message)
    }

    /// A hash of the rule id, the offending line with its whitespace collapsed, and the flagged span. A finding
    /// with no line to read (about the run, or past the end of the file) hashes its message instead.
    func fingerprint(_ finding: Finding) -> String {
        var material = finding.ruleID + "\n"
        if let location = finding.location, let fileLines = lines[location.path], location.line <= fileLines.count {
            let line = fileLines[location.line - 1]
            material += Self.collapsed(line) + "\n"
            // Columns count Unicode scalars from 1, as the rules report them.
            let scalars = Array(line.unicodeScalars)
            let start = min(max(location.column - 1, 0), scalars.count)
            let end = min(start + max(finding.length ?? 0, 0), scalars.count)
            var span = String.UnicodeScalarView()
            span.append(contentsOf: scalars[start..<end])
            material += Self.collapsed(Substring(String(span)))
        } else {
            material += finding.message
        }
        return Self.fnv1a(material)
    }

    /// Words separated by single spaces: re-indenting or re-wrapping spaces is no new finding.
    private static func collapsed(_ text: Substring) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// FNV-1a, 64 bits, as 16 hex digits: stable across runs and platforms (unlike `Hasher`), and enough to
    /// tell findings in one file apart.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
