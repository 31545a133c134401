/// A template that does not compile: where the offending tag is, what is wrong and what to write instead.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template's file path, as the library's `path` closure gave it.
    public let path: String
    /// The 1-based line of the tag's opening delimiter.
    public let line: Int
    /// The 1-based column of the tag's opening delimiter, counted in Unicode scalars.
    public let column: Int
    /// What is wrong, followed by what to write instead.
    public let message: String

    /// Creates an error at a position given by hand (the library computes positions itself).
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// The compiler-style form `path:line:column: error: message`, which editors and CI logs link to.
    public var description: String { "\(path):\(line):\(column): error: \(message)" }
}
