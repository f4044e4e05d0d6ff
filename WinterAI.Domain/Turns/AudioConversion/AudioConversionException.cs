namespace WinterAI.Domain.Turns.AudioConversion;

/// <summary>A recording could not be converted; the message says why, for logs (never the recording).</summary>
/// <param name="missing">True when ffmpeg itself is missing, which only the operator can fix.</param>
public sealed class AudioConversionException(string message, bool missing = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Missing { get; } = missing;
}
