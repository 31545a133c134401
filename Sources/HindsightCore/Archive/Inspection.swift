import Foundation

/// What Hindsight understood of an archive: for each fact, how many post-mortems have it and where it was read
/// from; the sections that exist but gave nothing; and the files left out. `hindsight inspect` prints it, the
/// first thing a team runs when it moves an archive written to another template.
public struct Inspection: Sendable, Codable, Equatable {
    /// One fact's count.
    public struct FactCount: Sendable, Codable, Equatable {
        public var fact: String
        /// Post-mortems that have the fact.
        public var files: Int
        /// How many were read from each origin ("front matter", "labelled bullet", "section", …).
        public var origins: [String: Int]
    }

    /// A section that is there but from which nothing was read.
    public struct UnreadSection: Sendable, Codable, Equatable {
        public var path: String
        public var line: Int
        public var heading: String
        /// The section's kind as `hindsight.yml` names it (`timeline`, `action_items`, `factors`).
        public var kind: String
    }

    /// A file in the content folder that is not a post-mortem, and why.
    public struct LeftOut: Sendable, Codable, Equatable {
        public var path: String
        public var reason: String
    }

    public var postMortems: Int
    public var facts: [FactCount]
    public var unreadSections: [UnreadSection]
    public var leftOut: [LeftOut]
    /// Warnings and errors found while reading, as `path:line:col: severity: message`.
    public var problems: [String]

    enum CodingKeys: String, CodingKey {
        case postMortems = "post_mortems", facts, unreadSections = "unread_sections", leftOut = "left_out", problems
    }

    /// The inspection of a built archive and the diagnostics its build gave.
    public init(_ archive: Archive, diagnostics: [Diagnostic]) {
        let all = archive.postMortems
        postMortems = all.count
        facts = Fact.allCases.map { fact in
            var origins: [String: Int] = [:]
            var files = 0
            for pm in all {
                guard let origin = pm.origins[fact] ?? Self.implicitOrigin(fact, pm) else { continue }
                files += 1
                origins[origin.rawValue, default: 0] += 1
            }
            return FactCount(fact: fact.rawValue, files: files, origins: origins)
        }
        unreadSections = all.flatMap { pm -> [UnreadSection] in
            pm.sections.compactMap { section in
                guard let kind = section.kind else { return nil }
                let empty: Bool
                switch kind {
                case .timeline: empty = pm.timeline.isEmpty
                case .actionItems: empty = pm.actionItems.isEmpty
                case .factors: empty = pm.factors.isEmpty
                default: return nil
                }
                guard empty else { return nil }
                return UnreadSection(
                    path: section.location.path, line: section.location.line, heading: section.heading,
                    kind: kind.configurationName)
            }
        }
        leftOut = diagnostics.compactMap { diagnostic in
            guard diagnostic.severity == .note, diagnostic.message.hasPrefix("left out: "), let location = diagnostic.location
            else { return nil }
            return LeftOut(path: location.path, reason: String(diagnostic.message.dropFirst("left out: ".count)))
        }
        problems = diagnostics.filter { $0.severity != .note }.map(\.description)
    }

    /// The origin of a fact a post-mortem has without a recorded one (values a build made before origins
    /// were recorded, or set by code).
    private static func implicitOrigin(_ fact: Fact, _ pm: PostMortem) -> Origin? {
        switch fact {
        case .date: return pm.date == nil ? nil : pm.dateSource
        default: return nil
        }
    }

    /// The report for people: one line per fact, then what was not read and what was left out.
    public func text() -> String {
        var out = "\(postMortems) post-mortem\(postMortems == 1 ? "" : "s") read"
        out += leftOut.isEmpty ? "" : ", \(leftOut.count) file\(leftOut.count == 1 ? "" : "s") left out"
        out += "\n\nfact             have  read from\n"
        for count in facts {
            let name = count.fact.replacingOccurrences(of: "_", with: " ")
            let from = count.origins.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += name.padding(toLength: 16, withPad: " ", startingAt: 0) + " "
                + "\(count.files)/\(postMortems)".padding(toLength: 6, withPad: " ", startingAt: 0)
                + (from.isEmpty ? "–" : from) + "\n"
        }
        if unreadSections.isEmpty == false {
            out += "\nSections where nothing was read (\(unreadSections.count)):\n"
            for section in unreadSections {
                out += "  \(section.path):\(section.line): \(section.kind.replacingOccurrences(of: "_", with: " ")) "
                    + "section '\(section.heading)'\n"
            }
        }
        if leftOut.isEmpty == false {
            out += "\nLeft out (\(leftOut.count)):\n"
            for file in leftOut { out += "  \(file.path): \(file.reason)\n" }
        }
        return out
    }

    /// The report for tools, as JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
