using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace WinterAI.Web.Logging;

/// <summary>
/// Wraps one of the console's text formatters (<c>simple</c>, <c>systemd</c>) so that the message, the scopes and
/// the exception it writes carry no raw control characters (<see cref="ControlCharacters"/>). The text the wrapped
/// formatter adds itself — its line breaks, padding and colours — is left alone, so the layout operators know stays.
/// </summary>
internal sealed class EscapingConsoleFormatter(ConsoleFormatter inner) : ConsoleFormatter(inner.Name), IDisposable
{
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var formatter = logEntry.Formatter;
        var exception = logEntry.Exception;
        var escaped = new LogEntry<TState>(
            logEntry.LogLevel,
            logEntry.Category,
            logEntry.EventId,
            logEntry.State,
            exception is null ? null : new EscapedException(exception),
            (state, _) => ControlCharacters.Escape(formatter(state, exception)));
        inner.Write(escaped, scopeProvider is null ? null : new EscapingScopeProvider(scopeProvider), textWriter);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>Text formatters write a scope as its <c>ToString()</c>; this hands them the escaped string instead.</summary>
    private sealed class EscapingScopeProvider(IExternalScopeProvider inner) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope((scope, s) => callback(scope is null ? null : ControlCharacters.Escape(scope.ToString() ?? ""), s), state);

        public IDisposable Push(object? state) => inner.Push(state);
    }

    /// <summary>
    /// An exception as text formatters print it (<c>ToString()</c>), with its messages escaped. Exception messages
    /// quote what they could not parse — a request body, a header — so they are untrusted; the stack traces are not
    /// and keep their line breaks.
    /// </summary>
    private sealed class EscapedException(Exception original) : Exception(ControlCharacters.Escape(original.Message))
    {
        public override string? StackTrace => original.StackTrace;

        public override string ToString() => Render(original, new StringBuilder()).ToString();

        private static StringBuilder Render(Exception exception, StringBuilder text)
        {
            text.Append(exception.GetType().FullName).Append(": ").Append(ControlCharacters.Escape(exception.Message));
            IReadOnlyList<Exception> inners = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } single ? [single] : [];
            foreach (var inner in inners)
            {
                Render(inner, text.Append(" ---> ")).AppendLine().Append("   --- End of inner exception stack trace ---");
            }

            return exception.StackTrace is { } trace ? text.AppendLine().Append(trace) : text;
        }
    }
}
