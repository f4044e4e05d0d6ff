using Microsoft.Extensions.Logging;

namespace WinterAI.Domain.Dify;

/// <summary>Dify log lines. None of them carries the API key, a query or an answer.</summary>
internal static partial class DifyLog
{
    [LoggerMessage(1, LogLevel.Warning, "Dify attempt {Attempt} failed ({Reason}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(2, LogLevel.Error, "Dify circuit opened for {BreakDuration} after repeated failures")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(3, LogLevel.Information, "Dify circuit closed; calls flow again")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Dify does not know conversation {ConversationId}; starting a new one")]
    public static partial void ConversationNotFound(ILogger logger, string conversationId);

    [LoggerMessage(5, LogLevel.Warning, "Dify stream ended without message_end; keeping the {Length} characters received")]
    public static partial void IncompleteStream(ILogger logger, int length);

    [LoggerMessage(6, LogLevel.Warning, "Skipped {Count} Dify stream frame(s) that were not JSON")]
    public static partial void MalformedFrames(ILogger logger, int count);

    [LoggerMessage(7, LogLevel.Warning, "Dify call failed: {Failure} (HTTP {Status}, code {Code})")]
    public static partial void Failed(ILogger logger, DifyFailure failure, int? status, string? code);
}
