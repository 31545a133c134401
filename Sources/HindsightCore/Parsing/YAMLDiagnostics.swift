import Yams

/// Turns Yams errors into diagnostics at the right line and column of the file.
enum YAMLDiagnostics {
    static func diagnostic(for error: YamlError, path: String, lineOffset: Int) -> Diagnostic {
        func at(_ mark: Mark?) -> SourceLocation {
            guard let mark else { return SourceLocation(path: path, line: 1 + lineOffset) }
            return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _):
            return .error("invalid YAML: \(problem)\(context.map { " \($0.text)" } ?? "")", at: at(mark))
        case .parser(let context, let problem, let mark, _):
            return .error("invalid YAML: \(problem)\(context.map { " \($0.text)" } ?? "")", at: at(mark))
        case .composer(let context, let problem, let mark, _):
            return .error("invalid YAML: \(problem)\(context.map { " \($0.text)" } ?? "")", at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error("duplicate key \(duplicates.joined(separator: ", ")) in front matter", at: at(context.mark))
        case .reader(let problem, _, _, _):
            return .error("invalid YAML: \(problem)", at: at(nil))
        default:
            return .error("invalid YAML: \(error)", at: at(nil))
        }
    }
}
