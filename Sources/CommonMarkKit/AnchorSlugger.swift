/// Makes GitHub-style heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered.
public struct AnchorSlugger: Sendable {
    private var used: [String: Int] = [:]

    public init(reserved: [String] = []) {
        for anchor in reserved { used[anchor] = 1 }
    }

    /// The anchor for a heading's text, unique within this slugger.
    public mutating func slug(for text: String) -> String {
        var base = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                base.unicodeScalars.append(scalar)
            } else if scalar == " " || scalar == "-" {
                base.append("-")
            } else if scalar == "_" {
                base.append("_")
            }
        }
        if base.isEmpty { base = "section" }
        guard var count = used[base] else {
            used[base] = 1
            return base
        }
        var candidate = "\(base)-\(count)"
        while used[candidate] != nil {
            count += 1
            candidate = "\(base)-\(count)"
        }
        used[base] = count + 1
        used[candidate] = 1
        return candidate
    }
}
