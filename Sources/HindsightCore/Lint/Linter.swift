import Foundation

/// The result of checking: every finding, sorted by place, and which files were checked.
public struct LintResult: Sendable {
    public var findings: [Finding]
    /// Paths of the post-mortems checked, from the repository root.
    public var checkedPaths: [String]

    public init(findings: [Finding], checkedPaths: [String]) {
        self.findings = findings
        self.checkedPaths = checkedPaths
    }

    /// How many findings of a severity there are.
    public func count(_ severity: Finding.Severity) -> Int { findings.filter { $0.severity == severity }.count }
}

/// Runs every enabled rule over post-mortems. Built once per run: rules compile their matchers in `init`.
///
/// Each file is read and parsed once (the archive builder's parse for the structure, one cmark-gfm parse
/// for the text every rule shares), and files are checked in parallel.
public struct Linter: Sendable {
    public let context: LintContext
    private let rules: [Active]

    private struct Active: Sendable {
        let descriptor: RuleDescriptor
        let rule: any Rule
        let severity: Finding.Severity
    }

    /// Builds the enabled rules at their configured severities.
    public init(context: LintContext) {
        self.context = context
        rules = RuleCatalog.all.compactMap { type in
            let descriptor = type.descriptor
            guard case .severity(let severity) = context.settings.level(for: descriptor) else { return nil }
            // Diagnostic rules read nothing themselves: they only name what the parser found.
            if type is any DiagnosticRule.Type { return nil }
            return Active(descriptor: descriptor, rule: type.init(context: context), severity: severity)
        }
    }

    /// Checks a snapshot. The archive is built from every file (so ids and `related` links resolve against
    /// the whole collection, drafts included); findings are reported for `paths` only (all files when nil).
    public func check(_ snapshot: SourceSnapshot, only paths: Set<String>? = nil) -> LintResult {
        let (archive, diagnostics) = ArchiveBuilder.build(snapshot, options: Self.archiveOptions(paths))
        return check(snapshot, archive: archive, diagnostics: diagnostics, only: paths)
    }

    /// `check`, for a snapshot read without history: `lateHistories` dates the checked files that give no
    /// date of their own (see `ArchiveBuilder.build(_:options:lateHistories:)`). Only their dates matter
    /// here, since the other files' findings are not reported, and only they are read in full.
    public func check(
        _ snapshot: SourceSnapshot, only paths: Set<String>?, lateHistories: (Set<String>) throws -> [String: History]
    ) throws -> LintResult {
        let (archive, diagnostics) = try ArchiveBuilder.build(
            snapshot, options: Self.archiveOptions(paths), lateHistories: lateHistories)
        return check(snapshot, archive: archive, diagnostics: diagnostics, only: paths)
    }

    /// Drafts are checked too; bodies are read for structure, never rendered, and only for the files
    /// reported on: the others count for their ids alone.
    private static func archiveOptions(_ paths: Set<String>?) -> ArchiveOptions {
        var options = ArchiveOptions(includeDrafts: true, renderHTML: false, readBodies: paths)
        options.keepsBodyTrees = true
        return options
    }

    private func check(
        _ snapshot: SourceSnapshot, archive: Archive, diagnostics: [Diagnostic], only paths: Set<String>?
    ) -> LintResult {
        var byPath: [String: PostMortem] = [:]
        for postMortem in archive.postMortems { byPath[postMortem.sourcePath] = postMortem }
        var diagnosticsByPath: [String: [Diagnostic]] = [:]
        var elsewhere: [Diagnostic] = []
        let filePaths = Set(snapshot.files.map(\.path))
        for diagnostic in diagnostics {
            if let path = diagnostic.location?.path, filePaths.contains(path) {
                diagnosticsByPath[path, default: []].append(diagnostic)
            } else {
                elsewhere.append(diagnostic)
            }
        }

        let files = snapshot.files.filter { paths?.contains($0.path) ?? true }
        let postMortems = byPath
        let diagnosed = diagnosticsByPath
        let configuration = context.configuration
        var findings = Parallel.map(files.count) { index in
            let file = files[index]
            let document = LintDocument(
                path: file.path, data: file.data, postMortem: postMortems[file.path], tree: archive.bodyTrees[file.path],
                configuration: configuration)
            return check(document, diagnostics: diagnosed[file.path] ?? [])
        }.flatMap { $0 }
        // Problems outside the post-mortems (hindsight.yml, the repository) concern every file, so they are always reported.
        for diagnostic in elsewhere {
            if let finding = finding(for: diagnostic) { findings.append(finding) }
        }
        findings.sort()
        return LintResult(findings: findings, checkedPaths: files.map(\.path))
    }

    /// Checks one document; `diagnostics` are what the parser and archive builder reported for its file.
    public func check(_ document: LintDocument, diagnostics: [Diagnostic] = []) -> [Finding] {
        var findings: [Finding] = []
        for diagnostic in diagnostics {
            if let finding = finding(for: diagnostic) { findings.append(finding) }
        }
        if document.postMortem != nil {
            for active in rules where active.descriptor.checksDrafts || document.isDraft == false {
                var report = RuleReport(path: document.path)
                active.rule.check(document, into: &report)
                for item in report.items {
                    findings.append(Finding(
                        ruleID: active.descriptor.id, severity: active.severity, location: item.location, length: item.length,
                        message: item.message, suggestion: item.suggestion))
                }
            }
        }
        // A directive naming a rule that does not exist silently does nothing: say so.
        for mention in document.directives.mentions where RuleCatalog.isKnownPattern(mention.id) == false {
            let descriptor = UnknownRuleRule.descriptor
            if case .severity(let severity) = context.settings.level(for: descriptor) {
                findings.append(Finding(
                    ruleID: descriptor.id, severity: severity, location: mention.location, length: mention.length,
                    message: "unknown rule '\(mention.id)' in a hindsight-disable comment",
                    suggestion: RuleCatalog.closest(to: mention.id).map { "did you mean '\($0)'?" }))
            }
        }
        return findings.filter { document.directives.suppresses($0.ruleID, line: $0.location?.line) == false }
    }

    /// Gives a parser diagnostic its rule id and configured severity; nil when that rule is off.
    func finding(for diagnostic: Diagnostic) -> Finding? {
        let descriptor = RuleCatalog.rule(claiming: diagnostic).descriptor
        let level = context.settings.level(for: descriptor)
        guard case .severity(var severity) = level else { return nil }
        // The catch-all keeps the parser's own severity unless configured otherwise: anything that
        // fails a build must fail the check.
        if descriptor.id == SchemaOtherRule.descriptor.id, context.settings.levels.keys.contains(where: {
            Directives.pattern($0, matches: descriptor.id)
        }) == false {
            switch diagnostic.severity {
            case .error: severity = .error
            case .warning: severity = .warning
            case .note: severity = .info
            }
        }
        return Finding(
            ruleID: descriptor.id, severity: severity, location: diagnostic.location, message: diagnostic.message,
            suggestion: RuleCatalog.rule(claiming: diagnostic).suggestion(for: diagnostic))
    }

    /// Every rule's descriptor with the level it runs at, for SARIF and `--list-rules`.
    public var enabledRules: [RuleDescriptor] {
        RuleCatalog.all.map { $0.descriptor }.filter {
            if case .off = context.settings.level(for: $0) { return false }
            return true
        }
    }
}
