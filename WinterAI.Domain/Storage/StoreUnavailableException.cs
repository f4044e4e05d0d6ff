namespace WinterAI.Domain.Storage;

/// <summary>The shared store could not be reached or did not answer in time.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
