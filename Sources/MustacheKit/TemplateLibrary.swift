/// A set of templates compiled together, so partials and parents link by name once.
///
/// The library implements the Mustache spec's interpolation, sections, inverted sections, comments, set
/// delimiters, partials and inheritance (`{{<parent}}` with `{{$block}}`). It has no lambdas (no value is a
/// function) and refuses swift-mustache's transforms, pragmas and dynamic names when it compiles.
///
/// Rendering never fails. A partial or parent naming no template renders nothing; so does an inclusion more
/// than 64 partials or parents deep, and a render stops after `stepLimit` nodes or `outputLimit` bytes, which
/// only a template including itself several times per level reaches.
public struct TemplateLibrary: Sendable {
    private let templates: [Template]
    private let indices: [String: Int]

    /// How many nodes one render may execute before it stops, keeping what it wrote. The default, 16,777,216, is
    /// thousands of times what a page of a site executes; a smaller one suits fuzzing.
    public var stepLimit = 1 << 24

    /// How many bytes one render may append before it stops at the end of the node that passed the limit. The
    /// default, 256 MiB, is far beyond any page; a smaller one suits fuzzing.
    public var outputLimit = 1 << 28

    /// Compiles every template. `sources` maps a template name (e.g. "postmortem") to its text; `path(name)`
    /// gives the file path used in error messages (e.g. "Theme/templates/postmortem.mustache").
    ///
    /// Templates compile in name order and the first error is thrown.
    public init(sources: [String: String], path: @Sendable (String) -> String = { $0 }) throws(TemplateError) {
        let names = sources.keys.sorted()
        var indices: [String: Int] = [:]
        for (index, name) in names.enumerated() { indices[name] = index }
        var context = CompileContext(templateIndices: indices)
        var templates: [Template] = []
        templates.reserveCapacity(names.count)
        for name in names {
            templates.append(
                try Template(compiling: sources[name] ?? "", named: name, path: path(name), context: &context))
        }
        self.templates = templates
        self.indices = indices
    }

    /// The templates' names, sorted.
    public var names: [String] { templates.map(\.name) }

    /// Whether the library has a template of this name.
    public func contains(_ name: String) -> Bool { indices[name] != nil }

    /// Appends the rendering of template `name` to `buffer` (a reusable byte buffer). Unknown name renders nothing.
    public func render(_ name: String, _ value: TemplateValue, into buffer: inout [UInt8]) {
        guard let index = indices[name] else { return }
        var renderer = Renderer(templates: templates, stepLimit: stepLimit, outputLimit: outputLimit)
        renderer.render(index, value, into: &buffer)
    }

    /// The rendering of template `name` as a string; empty for an unknown name.
    public func render(_ name: String, _ value: TemplateValue) -> String {
        var buffer: [UInt8] = []
        render(name, value, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Whether any template could read the value at `dottedName` (e.g. "site.commit_short"): a variable or
    /// section tag names it, a value inside it (`{{site.commit_short.text}}` mentions "site.commit_short"), or
    /// names it relative to enclosing sections (`{{#site}}{{commit_short}}{{/site}}`).
    public func mentions(_ dottedName: String) -> Bool {
        guard let path = TemplateLibrary.segments(dottedName) else { return false }
        return templates.contains { $0.mentions(path) }
    }

    /// Whether template `name`, or a template its partial and parent tags include, could read the value at
    /// `dottedName`, as `mentions(_:)` decides it.
    public func mentions(_ dottedName: String, in name: String) -> Bool {
        guard let path = TemplateLibrary.segments(dottedName), let start = indices[name] else { return false }
        var seen = Set([start])
        var pending = [start]
        while let index = pending.popLast() {
            if templates[index].mentions(path) { return true }
            for included in templates[index].includes where seen.insert(included).inserted {
                pending.append(included)
            }
        }
        return false
    }

    private static func segments(_ dottedName: String) -> [String]? {
        let path = dottedName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return path.isEmpty || path.contains("") ? nil : path
    }
}

extension Template {
    /// Whether a tag's name, after the names of some of its enclosing sections, spells out `path` or a name
    /// under it.
    func mentions(_ path: [String]) -> Bool {
        for mention in mentions {
            let name = names[mention.name].segments
            guard name.isEmpty == false else { continue }
            var chain: [[String]] = []
            var scope = mention.scope
            while scope >= 0 {
                chain.append(names[scopes[scope].name].segments)
                scope = scopes[scope].parent
            }
            // reachable[q]: some enclosing sections, outermost first, spell out path[..<q].
            var reachable = Array(repeating: false, count: path.count + 1)
            reachable[0] = true
            for section in chain.reversed() where section.isEmpty == false {
                for position in stride(from: path.count - section.count, through: 0, by: -1)
                where reachable[position] && path[position..<(position + section.count)].elementsEqual(section) {
                    reachable[position + section.count] = true
                }
            }
            for position in 0..<path.count where reachable[position] {
                let rest = path[position...]
                if name.count >= rest.count, name.prefix(rest.count).elementsEqual(rest) { return true }
            }
        }
        return false
    }
}
