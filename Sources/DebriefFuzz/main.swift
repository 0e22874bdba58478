import Foundation

// `DebriefFuzz <target> [inputs…]`: see `FuzzCommandLine` for what a plain build and a fuzz build do with it.
exit(FuzzCommandLine.run(CommandLine.arguments))
