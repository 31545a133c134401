import Foundation
import FuzzSupport

// The whole document: the front matter splitter and YAML reader, cmark-gfm, sections and extraction.
exit(runFuzzer { bytes, count in
    parseAndCheck(fuzzInput(bytes, count))
    return 0
})
