import Foundation
import FuzzSupport

// `hindsight check`: every lint rule (blame, hindsight language, analysis, action items, timeline order,
// schema) over a whole file, as the pull-request gate runs them on untrusted content.
exit(runFuzzer { bytes, count in
    lintAndCheck(fuzzInput(bytes, count))
    return 0
})
