/// Renders compiled templates by walking their node arrays with explicit stacks instead of recursion, so neither
/// deep nesting nor recursive partials can overflow the thread's stack.
struct Renderer {
    /// How deep partials and parents may include one another; deeper inclusions render nothing.
    static let maxInclusionDepth = 64

    /// A run of nodes being executed, and the state to restore when it ends.
    private struct Frame {
        var template: Int
        var pc: Int
        var end: Int
        /// For a section over a list: where each item's pass starts, the items and the current item.
        var start: Int
        var items: [TemplateValue]
        var item: Int
        var contextCount: Int
        var indentationCount: Int
        var blockFrame: Int
        var blockFrameCount: Int
        var depth: Int
    }

    /// A parent tag being rendered: where its arguments are, and the parent tag around it, whose arguments win.
    private struct BlockFrame {
        var template: Int
        var node: Int
        var outer: Int
    }

    private let templates: [Template]
    private var contexts: ContiguousArray<TemplateValue> = []
    /// The frame being executed; `frames` holds the ones it interrupted.
    private var current = Frame(
        template: 0, pc: 0, end: 0, start: 0, items: [], item: 0, contextCount: 0, indentationCount: 0,
        blockFrame: -1, blockFrameCount: 0, depth: 0)
    private var running = false
    private var frames: ContiguousArray<Frame> = []
    private var blockFrames: ContiguousArray<BlockFrame> = []
    /// The whitespace every line of template text gets, from the standalone partials, parents and blocks
    /// being rendered.
    private var indentation: [UInt8] = []
    /// Whether the output is at the start of a line, so the next text gets `indentation` first; kept only
    /// while `indentation` is not empty.
    private var atLineStart = true
    private var blockFrame = -1
    private var depth = 0
    /// Nodes this render may still execute.
    private var steps: Int
    private let outputLimit: Int
    /// The buffer size at which this render stops.
    private var outputEnd = 0

    init(templates: [Template], stepLimit: Int, outputLimit: Int) {
        self.templates = templates
        self.steps = stepLimit
        self.outputLimit = outputLimit
        contexts.reserveCapacity(16)
        frames.reserveCapacity(16)
    }

    /// Appends the rendering of template `template` with `value` as the context.
    mutating func render(_ template: Int, _ value: TemplateValue, into buffer: inout [UInt8]) {
        guard templates.indices.contains(template) else { return }
        outputEnd = buffer.count + max(0, min(outputLimit, Int.max - buffer.count))
        contexts.append(value)
        enter(template, 0, templates[template].nodes.count)
        run(into: &buffer)
    }

    private mutating func enter(_ template: Int, _ start: Int, _ end: Int) {
        if running { frames.append(current) }
        current = Frame(
            template: template, pc: start, end: end, start: start, items: [], item: 0,
            contextCount: contexts.count, indentationCount: indentation.count, blockFrame: blockFrame,
            blockFrameCount: blockFrames.count, depth: depth)
        running = true
    }

    private mutating func leave() {
        contexts.removeLast(contexts.count - current.contextCount)
        indentation.removeLast(indentation.count - current.indentationCount)
        blockFrames.removeLast(blockFrames.count - current.blockFrameCount)
        blockFrame = current.blockFrame
        depth = current.depth
        if let interrupted = frames.popLast() {
            current = interrupted
        } else {
            current.items = []
            running = false
        }
    }

    /// Adds a standalone tag's indentation to every line rendered until the current frame ends.
    private mutating func indent(_ indentation: Indentation, from template: Int) {
        switch indentation.mode {
        case .none: return
        case .lineStart: atLineStart = true
        case .inline: atLineStart = false
        }
        self.indentation.append(contentsOf: templates[template].bytes[indentation.start..<indentation.end])
    }

    private mutating func run(into buffer: inout [UInt8]) {
        // Read through a copy, so template text can be written while the renderer's state changes.
        let templates = self.templates
        while running {
            let pc = current.pc
            if pc >= current.end {
                let next = current.item + 1
                if next < current.items.count {
                    current.item = next
                    current.pc = current.start
                    contexts[current.contextCount] = current.items[next]
                } else {
                    leave()
                }
                continue
            }
            steps -= 1
            guard steps >= 0, buffer.count <= outputEnd else { break }
            let template = current.template
            current.pc = pc + 1

            switch templates[template].nodes[pc] {
            case .text(let start, let end):
                templates[template].bytes.withUnsafeBufferPointer { bytes in
                    write(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &buffer)
                }

            case .variable(let name, let escaped):
                let value = resolve(name, in: template)
                if atLineStart, indentation.isEmpty == false {
                    buffer.append(contentsOf: indentation)
                    atLineStart = false
                }
                value.interpolate(escaped: escaped, into: &buffer)

            case .section(let name, let end):
                current.pc = end
                let value = resolve(name, in: template)
                if case .list(let items) = value {
                    guard let first = items.first else { continue }
                    enter(template, pc + 1, end)
                    current.items = items
                    contexts.append(first)
                } else if value.isTruthy {
                    enter(template, pc + 1, end)
                    contexts.append(value)
                }

            case .inverted(let name, let end):
                current.pc = end
                if resolve(name, in: template).isTruthy == false { enter(template, pc + 1, end) }

            case .partial(let target, let indentation):
                guard target >= 0, depth < Renderer.maxInclusionDepth else { continue }
                enter(target, 0, templates[target].nodes.count)
                depth += 1
                indent(indentation, from: template)

            case .parent(let target, let end, let indentation):
                current.pc = end
                guard target >= 0, depth < Renderer.maxInclusionDepth else { continue }
                enter(target, 0, templates[target].nodes.count)
                depth += 1
                blockFrames.append(BlockFrame(template: template, node: pc, outer: blockFrame))
                blockFrame = blockFrames.count - 1
                indent(indentation, from: template)

            case .block(let id, let end, let indentation):
                current.pc = end
                if let (frame, argument) = findArgument(id) {
                    let argumentTemplate = blockFrames[frame].template
                    guard case .block(_, let argumentEnd, _) = templates[argumentTemplate].nodes[argument] else {
                        continue
                    }
                    enter(argumentTemplate, argument + 1, argumentEnd)
                    // An argument renders with the parent tags that were around it where it is written.
                    blockFrame = blockFrames[frame].outer
                    indent(indentation, from: template)
                } else {
                    enter(template, pc + 1, end)
                }
            }
        }
        frames.removeAll()
        running = false
    }

    /// The argument for block `id`: of the parent tags being rendered, the outermost one that passes it wins,
    /// so a template's arguments override those of the parents it extends.
    private func findArgument(_ id: Int) -> (frame: Int, node: Int)? {
        var found: (frame: Int, node: Int)?
        var frame = blockFrame
        while frame >= 0 {
            let parent = blockFrames[frame]
            let nodes = templates[parent.template].nodes
            if case .parent(_, let end, _) = nodes[parent.node] {
                var child = parent.node + 1
                while child < end {
                    guard case .block(let argument, let argumentEnd, _) = nodes[child] else { break }
                    if argument == id {
                        found = (frame, child)
                        break
                    }
                    child = argumentEnd
                }
            }
            frame = parent.outer
        }
        return found
    }

    /// The value of the dotted name `name` of template `template`: its first segment is looked up from the
    /// innermost context outwards, the others only inside what the previous one found.
    private func resolve(_ name: Int, in template: Int) -> TemplateValue {
        // The name's segments and the contexts are read in place (copies would retain them on every lookup).
        templates[template].names[name].segments.withUnsafeBufferPointer { segments in
            guard let first = segments.first else { return contexts[contexts.count - 1] }
            var value = contexts.withUnsafeBufferPointer { contexts -> TemplateValue? in
                var index = contexts.count - 1
                while index >= 0 {
                    if let field = contexts[index].field(first) { return field }
                    index -= 1
                }
                return nil
            }
            var segment = 1
            while segment < segments.count, let found = value {
                value = found.field(segments[segment])
                segment += 1
            }
            return value ?? .null
        }
    }

    /// Appends template text, with the current indentation before each of its lines.
    private mutating func write(_ text: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8]) {
        guard indentation.isEmpty == false else {
            buffer.append(contentsOf: text)
            return
        }
        var position = text.startIndex
        while position < text.endIndex {
            if atLineStart {
                buffer.append(contentsOf: indentation)
                atLineStart = false
            }
            var lineEnd = position
            while lineEnd < text.endIndex, text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd < text.endIndex {
                lineEnd += 1
                atLineStart = true
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[position..<lineEnd]))
            position = lineEnd
        }
    }
}

extension TemplateValue {
    /// The field named `name` of an object, nil for a name it lacks and for any other value.
    fileprivate func field(_ name: String) -> TemplateValue? {
        guard case .object(let object) = self else { return nil }
        return object.field(name)
    }
}
