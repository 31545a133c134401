/// One compiled template: a flat node array in document order, where every section, parent and block node is
/// followed by its children and records where they end, and the bytes its text nodes point into.
struct Template: Sendable {
    /// The template's name in its library.
    var name: String
    /// Text and indentation bytes, which `Node` ranges point into.
    var bytes: [UInt8] = []
    var nodes: [Node] = []
    /// The dotted names tags read, split ahead of time; nodes hold indices into this table.
    var names: [Name] = []
    /// Every tag's name with the scope it appears in, for `TemplateLibrary.mentions`.
    var mentions: [Mention] = []
    /// Enclosing-section scopes of `mentions`, each pointing to its own enclosing scope.
    var scopes: [Scope] = []
    /// The templates partial and parent tags include, by index.
    var includes: [Int] = []
}

/// A node of a compiled template. Payloads are plain integers, so walking the array copies no references.
enum Node: Sendable {
    /// Template text: `bytes[start..<end]`.
    case text(start: Int, end: Int)
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{&name}}`.
    case variable(name: Int, escaped: Bool)
    /// `{{#name}}`: children run for each item of a list, or once with a truthy value as the context.
    case section(name: Int, end: Int)
    /// `{{^name}}`: children run once when the value is falsey.
    case inverted(name: Int, end: Int)
    /// `{{>name}}`: the template at index `template` (-1 when the library has none of that name).
    case partial(template: Int, indentation: Indentation)
    /// `{{<name}}…{{/name}}`: children are the argument blocks, and only them.
    case parent(template: Int, end: Int, indentation: Indentation)
    /// `{{$name}}…{{/name}}`: `id` is the block name interned library-wide; children are the default content.
    case block(id: Int, end: Int, indentation: Indentation)
}

/// Whitespace a standalone partial, parent or block adds before each line it renders.
struct Indentation: Sendable {
    enum Mode: UInt8, Sendable {
        /// Not standalone: lines render as they are.
        case none
        /// The tag's line was removed, so rendering starts at the beginning of a line.
        case lineStart
        /// A one-line block pair: the whitespace before it stays in the text, so only later lines get it.
        case inline
    }

    var start: Int
    var end: Int
    var mode: Mode

    static let none = Indentation(start: 0, end: 0, mode: .none)
}

/// A dotted name split into segments ahead of time; no segments is the implicit iterator `.`.
struct Name: Sendable {
    var segments: [String]
}

/// A tag's name and the innermost section it appears in.
struct Mention: Sendable {
    var name: Int
    var scope: Int
}

/// A section a tag appears in: its name and the section around it (-1 at the top).
struct Scope: Sendable {
    var name: Int
    var parent: Int
}
