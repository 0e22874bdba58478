#if FUZZING
    import CLibFuzzer
    import Foundation

    /// Hands one target to libFuzzer (`LLVMFuzzerRunDriver`), in a fuzz build only.
    ///
    /// Why the driver call rather than libFuzzer's own `main`: SwiftPM gives every executable its `main`, and a plain
    /// build must keep replaying inputs with it; `LLVMFuzzerRunDriver` runs the same loop from a `main` of our own.
    enum LibFuzzerDriver {
        /// The target libFuzzer's C callback calls. Set once before the driver starts and only read after, on the
        /// driver's thread (libFuzzer runs inputs one at a time unless forked into separate processes).
        nonisolated(unsafe) static var current: FuzzTarget?

        static func run(_ target: FuzzTarget, arguments: [String]) -> Int32 {
            current = target
            var argc = Int32(arguments.count)
            // libFuzzer keeps pointers into argv for the life of the process: allocate once, never free.
            let argv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: arguments.count + 1)
            for (index, argument) in arguments.enumerated() { argv[index] = strdup(argument) }
            argv[arguments.count] = nil
            var argvPointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
            return LLVMFuzzerRunDriver(&argc, &argvPointer) { data, size in
                let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
                LibFuzzerDriver.current?.run(FuzzInput(bytes))
                return 0
            }
        }
    }
#endif

#if FUZZING
    /// libFuzzer's per-input entry point, also linked in by its own `main` from the runtime archive.
    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        LibFuzzerDriver.current?.run(FuzzInput(bytes))
        return 0
    }
#endif
