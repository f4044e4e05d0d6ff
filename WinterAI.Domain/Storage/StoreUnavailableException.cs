namespace WinterAI.Domain.Storage;

/// <summary>
/// The shared store could not be reached or did not answer in time. For a write this means the outcome is unknown:
/// the command may still be applied once the store answers again.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
