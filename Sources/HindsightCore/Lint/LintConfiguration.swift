import Foundation
import Yams

/// The `check:` settings of `hindsight.yml`: rule severities, allowed words, people, thresholds.
///
/// ```yaml
/// check:
///   rules:
///     timeline/detection: error # raise one rule
///     hindsight/minimiser: off  # turn one off
///     analysis: info            # a whole category (also `analysis/*`)
///   allowed_words: [just]       # never flagged, never taken for a name
///   people: [Alice Jones, "@bob"]
///   max_action_items: 10
///   min_whys: 3
///   priorities: [P0, P1, P2, P3]
///   full_structure: [SEV1, SEV2]
/// ```
public struct LintConfiguration: Sendable, Hashable {
    /// A rule's configured level: a severity, or off.
    public enum Level: Sendable, Hashable {
        case off
        case severity(Finding.Severity)
    }

    /// Levels by rule id, category (`blame`, `blame/*`) or `*`.
    public var levels: [String: Level] = [:]
    /// Words and phrases no rule flags (compared without case), and that are never taken for a person's name.
    public var allowedWords: Set<String> = []
    /// Extra people's names (and `@handles`) besides the commit authors.
    public var people: [String] = []
    /// Whether commit authors in the history count as people.
    public var peopleFromHistory = true
    /// More action items than this is a list nobody will finish.
    public var maxActionItems = 10
    /// Fewer whys than this stops at the first plausible answer.
    public var minWhys = 3
    /// The action-item priority scale.
    public var priorities = ["P0", "P1", "P2", "P3"]
    /// Severities that need the full structure; nil means the two most severe of the configured scale.
    public var fullStructureSeverities: [String]?

    public init() {}

    /// The level a rule runs at: its id, then its category, then `*`, then its default.
    public func level(for rule: RuleDescriptor) -> Level {
        if let level = levels[rule.id] { return level }
        if let level = levels[rule.category + "/*"] ?? levels[rule.category] { return level }
        // `*` sets the level of the rules that run; a rule that is off by default is turned on by its id or category.
        guard rule.enabledByDefault else { return .off }
        if let level = levels["*"] { return level }
        return .severity(rule.defaultSeverity)
    }

    /// The severities needing full structure, given the archive's severity scale.
    public func fullStructure(scale: [String]) -> [String] {
        fullStructureSeverities ?? Array(scale.prefix(2))
    }

    /// Reads the `check:` key of `hindsight.yml`; problems become findings at their line (`schema/config`,
    /// `lint/unknown-rule`) and the rest of the settings still apply.
    public static func parse(_ data: Data, path: String = Configuration.fileName) -> (LintConfiguration, [Finding]) {
        var config = LintConfiguration()
        var problems: [Finding] = []
        let text = String(decoding: data, as: UTF8.self)
        guard YAMLAliasScan.firstAlias(in: text) == nil, let root = try? Yams.compose(yaml: text), let mapping = root.mapping
        else {
            // Invalid YAML, and aliases (never composed: an alias bomb would hang), are reported by the
            // site configuration already (as schema/config).
            return (config, [])
        }
        func at(_ node: Node) -> SourceLocation {
            SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }
        func problem(_ node: Node, _ message: String, rule: String = "schema/config") {
            let severity = RuleCatalog.descriptor(rule)?.defaultSeverity ?? .error
            problems.append(Finding(ruleID: rule, severity: severity, location: at(node), message: message))
        }
        func strings(_ node: Node, key: String) -> [String] {
            switch node {
            case .scalar(let scalar):
                return scalar.string.split(separator: ",").map { $0.trimmedWhitespace() }.filter { !$0.isEmpty }
            case .sequence(let sequence):
                return sequence.compactMap { item in
                    guard case .scalar(let scalar) = item else {
                        problem(item, "check.\(key) must be a list of plain values")
                        return nil
                    }
                    return scalar.string
                }
            default:
                problem(node, "check.\(key) must be a list")
                return []
            }
        }
        func number(_ node: Node, key: String, minimum: Int) -> Int? {
            guard let value = node.int, value >= minimum else {
                problem(node, "check.\(key) must be a whole number of at least \(minimum)")
                return nil
            }
            return value
        }

        guard let check = mapping.first(where: { $0.key.string == "check" })?.value else { return (config, []) }
        guard let settings = check.mapping else {
            if check.scalar?.string.isEmpty == false { problem(check, "check must be a mapping of settings") }
            return (config, problems)
        }
        for (keyNode, value) in settings {
            let key = keyNode.string ?? ""
            switch key {
            case "rules":
                guard let rules = value.mapping else {
                    problem(value, "check.rules must map rule ids to error, warning, info or off")
                    continue
                }
                for (idNode, levelNode) in rules {
                    let id = idNode.string ?? ""
                    if RuleCatalog.isKnownPattern(id) == false {
                        problem(idNode, "unknown rule '\(id)' in check.rules", rule: "lint/unknown-rule")
                    }
                    let word = (levelNode.string ?? "").lowercased()
                    switch word {
                    case "off", "false", "no", "none", "disabled", "disable": config.levels[id] = .off
                    case "error", "errors": config.levels[id] = .severity(.error)
                    case "warning", "warn", "warnings": config.levels[id] = .severity(.warning)
                    case "info", "note", "notice": config.levels[id] = .severity(.info)
                    default:
                        problem(levelNode, "'\(levelNode.string ?? "")' is not a level for \(id); use error, warning, info or off")
                    }
                }
            case "allowed_words", "allowed", "allow":
                config.allowedWords.formUnion(strings(value, key: key).map { $0.lowercased() })
            case "people", "names":
                config.people += strings(value, key: key)
            case "people_from_history":
                if let flag = value.bool { config.peopleFromHistory = flag } else {
                    problem(value, "check.people_from_history must be true or false")
                }
            case "max_action_items":
                if let n = number(value, key: key, minimum: 1) { config.maxActionItems = n }
            case "min_whys":
                if let n = number(value, key: key, minimum: 1) { config.minWhys = n }
            case "priorities":
                let list = strings(value, key: key)
                if list.isEmpty == false { config.priorities = list }
            case "full_structure":
                config.fullStructureSeverities = strings(value, key: key)
            default:
                problem(
                    keyNode,
                    "unknown setting check.\(key); known settings: rules, allowed_words, people, people_from_history, "
                        + "max_action_items, min_whys, priorities, full_structure")
            }
        }
        return (config, problems)
    }
}
