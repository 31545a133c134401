import Foundation
import Yams

/// The front matter keys Hindsight knows, parsed and checked.
struct FrontMatterFields: Sendable {
    var title: String?
    var id: String?
    var idLocation: SourceLocation?
    var date: Day?
    var severity: String?
    var status: Status?
    var visibility: Visibility = .internal
    var nearMiss = false
    var services: [String] = []
    var tags: [String] = []
    var ownerTeam: String?
    var related: [String] = []
    var times = IncidentTimes()
    var summary: String?
    var sourceURL: String?
    /// The fields read, each as the canonical name it was read as.
    var read: Set<Fact> = []
    var extra: [PostMortem.ExtraField] = []
    /// Line and column of each key, for diagnostics about values.
    var keyLocations: [String: SourceLocation] = [:]
}

/// Reads front matter YAML (composed by Yams, so every value keeps its line and column).
struct FrontMatterParser {
    let path: String
    let lineOffset: Int
    let configuration: Configuration
    var diagnostics: [Diagnostic] = []
    /// What the numeric dates read say about their order.
    var dateOrder = DateOrderEvidence()

    init(path: String, firstLine: Int, configuration: Configuration) {
        self.path = path
        self.lineOffset = firstLine - 1
        self.configuration = configuration
    }

    mutating func parse(_ yaml: String) -> FrontMatterFields {
        var fields = FrontMatterFields()
        if let alias = YAMLAliasScan.firstAlias(in: yaml) {
            diagnostics.append(.error(
                "YAML aliases (*name) are not allowed in front matter; write the value out",
                at: SourceLocation(path: path, line: alias.line + lineOffset, column: alias.column)))
            return fields
        }
        let root: Node?
        do {
            // The encoding is given: Yams's default reads the whole process environment on every call. The
            // basic resolver tags no scalar by regular expression (a third of parsing): values are read as
            // text and interpreted here (`bool`, `int` and `float` go by the text, not the tag).
            root = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            diagnostics.append(YAMLDiagnostics.diagnostic(for: error, path: path, lineOffset: lineOffset))
            return fields
        } catch {
            diagnostics.append(.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: 1 + lineOffset)))
            return fields
        }
        guard let root else { return fields }
        guard let mapping = root.mapping else {
            diagnostics.append(.error("front matter must be a mapping of keys to values", at: location(root)))
            return fields
        }
        for (keyNode, value) in mapping {
            let written = (keyNode.string ?? "").lowercased()
            let key = configuration.frontMatterField(forKey: written) ?? written
            fields.keyLocations[written] = location(keyNode)
            if key != written { fields.keyLocations[key] = fields.keyLocations[key] ?? location(keyNode) }
            switch key {
            case "title": fields.title = string(value, key: written)
            case "id", "slug":
                fields.id = string(value, key: written)
                fields.idLocation = location(value)
            case "date":
                // A date with a time (`2021-03-02 09:14`, RFC 3339) also says when the incident started.
                guard fields.date == nil else { continue }
                let (day, instant) = dayAndTime(value, key: written)
                fields.date = day
                if let instant, fields.times.started == nil { fields.times.started = instant; fields.read.insert(.started) }
            case "severity", "sev": fields.severity = severity(value)
            case "status": fields.status = status(value)
            case "visibility": fields.visibility = visibility(value) ?? .internal
            case "near_miss", "near-miss", "nearmiss":
                if let flag = value.bool { fields.nearMiss = flag } else if isNull(value) == false {
                    diagnostics.append(.error("near_miss must be true or false", at: location(value)))
                }
            case "services", "service": fields.services += names(value, key: written)
            case "tags", "tag": fields.tags += names(value, key: written)
            case "owner_team", "owner", "team": fields.ownerTeam = string(value, key: written)
            case "related", "repeat_of":
                fields.related += list(value, key: written)
            case "started": fields.times.started = timestamp(value, key: written)
            case "detected": fields.times.detected = timestamp(value, key: written)
            case "acknowledged": fields.times.acknowledged = timestamp(value, key: written)
            case "mitigated": fields.times.mitigated = timestamp(value, key: written)
            case "resolved": fields.times.resolved = timestamp(value, key: written)
            case "summary": fields.summary = string(value, key: written)
            case "source_url": fields.sourceURL = string(value, key: written)
            case "time_to_detect": fields.times.statedToDetect = duration(value, key: written)
            case "time_to_repair": fields.times.statedToRepair = duration(value, key: written)
            case "time_to_resolve": fields.times.statedToResolve = duration(value, key: written)
            default:
                var budget = 10_000
                fields.extra.append(PostMortem.ExtraField(key: keyNode.string ?? "", value: keep(value, budget: &budget)))
                continue
            }
            if let fact = Self.facts[key] { fields.read.insert(fact) }
        }
        // A fact counts as read only when a value was kept.
        fields.read = fields.read.filter { fact in
            switch fact {
            case .date: return fields.date != nil
            case .started: return fields.times.started != nil
            case .detected: return fields.times.detected != nil
            case .acknowledged: return fields.times.acknowledged != nil
            case .mitigated: return fields.times.mitigated != nil
            case .resolved: return fields.times.resolved != nil
            case .timeToDetect: return fields.times.statedToDetect != nil
            case .timeToRepair: return fields.times.statedToRepair != nil
            case .timeToResolve: return fields.times.statedToResolve != nil
            case .severity: return fields.severity != nil
            case .services: return fields.services.isEmpty == false
            case .tags: return fields.tags.isEmpty == false
            case .summary: return fields.summary != nil
            case .sourceURL: return fields.sourceURL != nil
            case .timeline, .actionItems, .factors: return false
            }
        }
        return fields
    }

    /// The fact each canonical key gives, for the origins.
    static let facts: [String: Fact] = [
        "date": .date, "started": .started, "detected": .detected, "acknowledged": .acknowledged,
        "mitigated": .mitigated, "resolved": .resolved, "severity": .severity, "sev": .severity, "services": .services,
        "service": .services, "tags": .tags, "tag": .tags, "summary": .summary, "source_url": .sourceURL,
        "time_to_detect": .timeToDetect, "time_to_repair": .timeToRepair, "time_to_resolve": .timeToResolve,
    ]

    private func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(path: path, line: 1 + lineOffset) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    private func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node { return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" }
        return false
    }

    private mutating func string(_ node: Node, key: String) -> String? {
        if isNull(node) { return nil }
        guard case .scalar(let scalar) = node else {
            diagnostics.append(.error("\(key) must be a single value, not a list or mapping", at: location(node)))
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private mutating func list(_ node: Node, key: String) -> [String] {
        switch node {
        case .scalar:
            guard let text = string(node, key: key) else { return [] }
            // A comma-separated string is read as a list, as Hugo does for taxonomies.
            return text.split(separator: ",").map { $0.trimmedWhitespace() }.filter { !$0.isEmpty }
        case .sequence(let sequence):
            return sequence.compactMap { item in
                guard case .scalar(let scalar) = item else {
                    diagnostics.append(.error("\(key) must be a list of plain values", at: location(item)))
                    return nil
                }
                let text = scalar.string.trimmedWhitespace()
                return text.isEmpty ? nil : text
            }
        default:
            diagnostics.append(.error("\(key) must be a list", at: location(node)))
            return []
        }
    }

    /// A list of names that each get a page (services, tags): a name with nothing to make its address
    /// from (`--`, `?`) is dropped with a warning, where it would otherwise link to nowhere.
    private mutating func names(_ node: Node, key: String) -> [String] {
        list(node, key: key).filter { name in
            if Normalise.slug(name).isEmpty == false { return true }
            diagnostics.append(.warning("\(key): '\(name)' has no letters or digits to name a page; it is left out", at: location(node)))
            return false
        }
    }

    /// The day of a `date:` and, when it has a time, the instant (the time read as UTC unless it names a zone).
    private mutating func dayAndTime(_ node: Node, key: String) -> (Day?, Date?) {
        guard let text = string(node, key: key) else { return (nil, nil) }
        if let day = Day(text) { return (day, nil) }
        if let (time, rest) = TimeText.scan(text[...], order: configuration.dateOrder), rest.isEmpty, let day = time.day {
            if time.orderEvidence == .mdy { dateOrder.monthFirst += 1 }
            if time.orderEvidence == .dmy { dateOrder.dayFirst += 1 }
            if time.ambiguousOrder {
                dateOrder.ambiguous = true
                diagnostics.append(.warning(
                    "\(key) '\(text)' could be read month first or day first; it was read as \(day): set "
                        + "`date_order: mdy` or `date_order: dmy` in \(Configuration.fileName), or write YYYY-MM-DD",
                    at: location(node)))
            }
            return (day, time.secondsOfDay == nil ? nil : time.instant(defaultDay: nil))
        }
        diagnostics.append(.error("\(key) '\(text)' is not a date; write YYYY-MM-DD", at: location(node)))
        return (nil, nil)
    }

    /// A duration: minutes as a number, or words (`12 minutes`, `1h 5m`); `?`, `N/A` and `unknown` are none.
    private mutating func duration(_ node: Node, key: String) -> Int? {
        guard let text = string(node, key: key), LabelledFacts.isNoValue(text) == false else { return nil }
        if let minutes = Int(text), minutes >= 0 { return minutes }
        if let minutes = Durations.minutes(in: text) { return minutes }
        diagnostics.append(.error(
            "\(key) '\(text)' is not a duration; write minutes (45) or words (1 hour 5 minutes)", at: location(node)))
        return nil
    }

    private mutating func timestamp(_ node: Node, key: String) -> Date? {
        guard let text = string(node, key: key) else { return nil }
        if let (time, rest) = TimeText.scan(text[...]), rest.isEmpty, time.day != nil,
            let instant = time.instant(defaultDay: nil) ?? time.day?.startDate
        {
            return instant
        }
        diagnostics.append(
            .error("\(key) '\(text)' is not a timestamp; write ISO 8601, e.g. 2024-03-05T14:02:00Z", at: location(node)))
        return nil
    }

    private mutating func severity(_ node: Node) -> String? {
        guard let text = string(node, key: "severity") else { return nil }
        if let match = Normalise.severity(text, scale: configuration.severities) { return match }
        diagnostics.append(
            .error(
                "unknown severity '\(text)'; use one of \(configuration.severities.joined(separator: ", "))",
                at: location(node)))
        return nil
    }

    private mutating func status(_ node: Node) -> Status? {
        guard let text = string(node, key: "status") else { return nil }
        let key = text.lowercased().replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
        switch key {
        case "draft": return .draft
        case "in-review", "review", "inreview": return .inReview
        case "published", "final", "reviewed", "closed", "complete", "done": return .published
        default:
            diagnostics.append(
                .error("unknown status '\(text)'; use draft, in-review or published", at: location(node)))
            return nil
        }
    }

    private mutating func visibility(_ node: Node) -> Visibility? {
        guard let text = string(node, key: "visibility") else { return nil }
        if let visibility = Visibility(rawValue: text.lowercased()) { return visibility }
        diagnostics.append(.error("visibility must be internal or public, not '\(text)'", at: location(node)))
        return nil
    }

    /// Keeps an unknown value as written; a budget bounds the work on alias-heavy YAML.
    private func keep(_ node: Node, budget: inout Int) -> FrontMatterValue {
        budget -= 1
        if budget <= 0 { return .null }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let b = node.bool { return .bool(b) }
                if let i = node.int { return .number(Double(i)) }
                if let d = node.float, d.isFinite { return .number(d) }
                if isNull(node) { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            var items: [FrontMatterValue] = []
            for item in sequence {
                if budget <= 0 { break }
                items.append(keep(item, budget: &budget))
            }
            return .list(items)
        case .mapping(let mapping):
            var pairs: [(key: String, value: FrontMatterValue)] = []
            for (k, v) in mapping {
                if budget <= 0 { break }
                pairs.append((k.string ?? "", keep(v, budget: &budget)))
            }
            return .map(pairs)
        case .alias:
            return .null
        }
    }
}
