import ArgumentParser

/// The exit codes of the contract (sysexits.h values).
enum ViaExit {
    /// Invalid input data (a photo that is not a sound JPEG, a refused batch).
    static let dataError = ExitCode(65)
    /// Temporarily unavailable (store locked past the timeout).
    static let unavailable = ExitCode(75)
    static let internalFailure = ExitCode(1)
}
