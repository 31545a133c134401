/// Finds YAML aliases (`*name`) in front matter before Yams composes it.
///
/// Front matter has no use for aliases, and an alias bomb ("billion laughs") makes composing and
/// hashing the node tree take exponential time, so the first alias is reported and nothing is composed.
enum YAMLAliasScan {
    /// The 1-based line and column of the first alias, or nil when there is none.
    static func firstAlias(in yaml: String) -> (line: Int, column: Int)? {
        var line = 0
        for rawLine in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let scalars = Array(rawLine.unicodeScalars)
            var quote: Unicode.Scalar?
            var previous: Unicode.Scalar = " "
            for (index, scalar) in scalars.enumerated() {
                if let open = quote {
                    if scalar == open { quote = nil }
                } else if scalar == "\"" || scalar == "'" {
                    if " \t[{,:-".unicodeScalars.contains(previous) { quote = scalar }
                } else if scalar == "#" && (previous == " " || previous == "\t" || index == 0) {
                    break
                } else if scalar == "*", startsNode(scalars, at: index), index + 1 < scalars.count,
                    scalars[index + 1].properties.isAlphabetic || scalars[index + 1].properties.numericType != nil
                        || scalars[index + 1] == "_"
                {
                    return (line, index + 1)
                }
                previous = scalar
            }
        }
        return nil
    }

    /// An alias can only begin a node: at the start of a line, after `[`, `{` or `,`, or after
    /// `: `, `- ` or `? `. A `*` inside text ("was *very* slow") is just a character.
    private static func startsNode(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var back = index - 1
        var spaced = false
        while back >= 0, scalars[back] == " " || scalars[back] == "\t" {
            back -= 1
            spaced = true
        }
        guard back >= 0 else { return true }
        switch scalars[back] {
        case "[", "{", ",": return true
        case ":", "-", "?": return spaced
        default: return false
        }
    }
}
