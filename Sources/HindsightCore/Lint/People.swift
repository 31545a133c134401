import Foundation
import GitKit

/// The names of the people around an archive: commit authors read from its history, plus the
/// configured `people:` list. No list of first names is built in: a post-mortem names the people who
/// work on the system, and they are the ones who commit to it.
public struct PeopleDirectory: Sendable, Hashable {
    /// Name words as capitalised in the sources (`Alice`, `Jones`); matched only when capitalised in the text.
    public let names: Set<String>
    /// Handles (`@alice` without the `@`, and e-mail local parts such as `alice.jones`), lowercased.
    public let handles: Set<String>

    /// No names at all (a working tree outside Git, with nothing configured).
    public init() {
        names = []
        handles = []
    }

    /// Builds the directory; `allowed` words (any case) are never treated as names.
    public init(authors: [CommitAuthor], configured: [String], allowed: Set<String>) {
        var names = Set<String>()
        var handles = Set<String>()
        func addName(_ full: String) {
            for token in full.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ")" }) {
                var word = String(token)
                if word.hasPrefix("@") {
                    handles.insert(word.dropFirst().lowercased())
                    continue
                }
                word = word.trimmingCharacters(in: CharacterSet(charactersIn: ".'’\""))
                // Initials and lowercase particles (`J.`, `van`, `de`) are too short or too common to match on.
                guard word.count >= 2, let first = word.first, first.isUppercase,
                    word.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" }),
                    allowed.contains(word.lowercased()) == false,
                    PeopleDirectory.machineWords.contains(word.lowercased()) == false
                else { continue }
                names.insert(word)
            }
        }
        for author in authors where PeopleDirectory.isMachine(author) == false {
            addName(author.name)
            if let at = author.email.firstIndex(of: "@") {
                let local = author.email[..<at].lowercased()
                // GitHub's no-reply addresses are `12345+alice@users.noreply.github.com`.
                let handle = local.split(separator: "+").last.map(String.init) ?? local
                if handle.count >= 2, allowed.contains(handle) == false { handles.insert(handle) }
            }
        }
        for person in configured {
            addName(person)
            let trimmed = person.trimmedWhitespace()
            if trimmed.contains(" ") == false, trimmed.isEmpty == false {
                handles.insert(trimmed.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "@")))
            }
        }
        self.names = names
        self.handles = handles
    }

    /// Whether a capitalised word of the text is a person's name (`Bob`, `Bob's`).
    public func isName(_ word: Word, in text: String) -> Bool {
        guard word.isCapitalised, word.isMention == false else { return false }
        var written = text[word.range]
        if written.hasSuffix("'s") || written.hasSuffix("’s") { written = written.dropLast(2) }
        return names.contains(String(written))
    }

    /// Whether a piece of text (an owner, say) names a person: a known name, a known or any personal `@handle`,
    /// an e-mail address, or a pronoun.
    public func namesPerson(_ text: String) -> Bool {
        let trimmed = text.trimmedSpaces.utf8
        if trimmed.contains(UInt8(ascii: "@")), trimmed.contains(UInt8(ascii: ".")), trimmed.contains(UInt8(ascii: " ")) == false,
            trimmed.first != UInt8(ascii: "@")
        {
            return true
        }
        let words = Word.split(text)
        if words.contains(where: { Lexicon.teamWords.contains($0.lower) }) { return false }
        for word in words {
            if word.isMention { return true }
            if isName(word, in: text) { return true }
            if handles.contains(word.lower), words.count == 1 { return true }
            if ["me", "him", "her", "i", "myself", "himself", "herself"].contains(word.lower) { return true }
        }
        return false
    }

    /// Authors that are tools rather than people: bots, CI systems and merge robots.
    static func isMachine(_ author: CommitAuthor) -> Bool {
        let name = author.name.lowercased()
        if name.hasSuffix("[bot]") || author.email.lowercased().contains("[bot]") { return true }
        let words = name.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" })
        return words.contains { machineWords.contains(String($0)) }
    }

    /// Words in the names of tools that commit (`GitHub Actions`, `Jenkins CI`, `Release Bot`), never people's names.
    static let machineWords: Set<String> = [
        "bot", "github", "gitlab", "bitbucket", "jenkins", "ci", "cd", "actions", "action", "automation", "automated",
        "renovate", "dependabot", "deploy", "deployer", "release", "releaser", "build", "builder", "admin", "root",
        "system", "service", "runner", "server", "merge", "web-flow", "noreply", "no-reply", "unknown",
    ]
}
