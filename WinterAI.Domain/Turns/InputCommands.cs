namespace WinterAI.Domain.Turns;

/// <summary>
/// <c>/set name value</c>, <c>/set</c> (list), <c>/unset name</c>: the follower's values for the Dify app's inputs.
/// A command is the word alone or followed by white space, so <c>/settings</c> is a question like any other.
/// </summary>
public static class InputCommands
{
    public const string SetCommand = "/set";
    public const string UnsetCommand = "/unset";

    public static Intent? Parse(string trimmed)
    {
        if (Arguments(trimmed, SetCommand) is { } set)
        {
            var (name, value) = Split(set);
            return new Intent.SetInput(name, value);
        }

        if (Arguments(trimmed, UnsetCommand) is { } unset)
        {
            return new Intent.UnsetInput(Split(unset).Name);
        }

        return null;
    }

    /// <summary>What follows the command word, "" when nothing does; null when the text is not that command.</summary>
    private static string? Arguments(string trimmed, string command) =>
        trimmed.StartsWith(command, StringComparison.OrdinalIgnoreCase) && (trimmed.Length == command.Length || char.IsWhiteSpace(trimmed[command.Length]))
            ? trimmed[command.Length..].Trim()
            : null;

    /// <summary>The first word, and the rest (spaces inside kept) or null.</summary>
    private static (string? Name, string? Value) Split(string arguments)
    {
        if (arguments.Length == 0)
        {
            return (null, null);
        }

        var end = 0;
        while (end < arguments.Length && !char.IsWhiteSpace(arguments[end]))
        {
            end++;
        }

        var value = arguments[end..].Trim();
        return (arguments[..end], value.Length == 0 ? null : value);
    }
}
