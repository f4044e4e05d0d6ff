using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The Dify app's inputs (<c>user_input_form</c>): filled for each question from the configured sources
/// (<c>Dify:Inputs:{variable}</c>), then the follower's own values (<c>/set</c>), then the form's defaults.
/// </summary>
/// <remarks>
/// A variable with a configured source is the operator's: a follower cannot set it, so facts such as <c>user</c> or
/// <c>channel</c> cannot be forged. Every other text, paragraph, select or number variable the app declares is the
/// follower's to set, checked against the form (options, max length, number). Values are never logged.
/// </remarks>
public sealed class AppInputs(
    DifyAppProfile app,
    FollowerInputStore store,
    IOptionsMonitor<DifyOptions> dify,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time)
{
    /// <summary>
    /// How long a message waits for Dify's parameters when they are due to be read again: a slow or failing Dify
    /// (retries, circuit breaker) must not hold up WeChat's 5 seconds; the last known form stands meanwhile.
    /// </summary>
    public static readonly TimeSpan ParametersWait = TimeSpan.FromSeconds(1);

    /// <summary>Longest value a follower may set when the form names no <c>max_length</c>, in characters.</summary>
    public const int DefaultMaxLength = 2000;

    /// <summary>What goes to Dify with a question asked on <paramref name="channel"/>, and what is missing.</summary>
    public async Task<InputResolution> ResolveAsync(Follower follower, string channel, MessageContext context, CancellationToken ct)
    {
        var mapping = Mapping();
        var parameters = await ParametersAsync(ct);
        var form = parameters?.InputForm ?? [];
        if (mapping.Count == 0 && form.Count == 0)
        {
            return InputResolution.None;
        }

        var saved = await store.GetAsync(follower, ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters is null)
        {
            // The form is unknown for now (Dify unreachable): send what there is; Dify ignores what it does not declare.
            foreach (var (variable, value) in saved.Values.Where(v => !mapping.ContainsKey(v.Key)))
            {
                values[variable] = value;
            }

            foreach (var (variable, source) in mapping)
            {
                if (Value(source, follower, channel, context, saved) is { Length: > 0 } value)
                {
                    values[variable] = value;
                }
            }

            return new InputResolution(values.Count > 0 ? values : null, []);
        }

        var missing = new List<DifyInputField>();
        foreach (var field in form)
        {
            var value = mapping.TryGetValue(field.Variable, out var source)
                ? Value(source, follower, channel, context, saved)
                : saved.Values.GetValueOrDefault(field.Variable);
            if (string.IsNullOrEmpty(value))
            {
                value = field.Default;
            }

            if (string.IsNullOrEmpty(value))
            {
                if (field.Required)
                {
                    missing.Add(field);
                }

                continue;
            }

            values[field.Variable] = field.MaxLength is { } max ? Truncate(value, max) : value;
        }

        return new InputResolution(values.Count > 0 ? values : null, missing);
    }

    /// <summary>Keeps the menu key or QR scene of a message when a configured input uses it.</summary>
    public Task RememberAsync(Follower follower, MessageContext context, CancellationToken ct)
    {
        var uses = Mapping().Values.Select(s => s.Kind).ToHashSet();
        var remembered = new MessageContext(
            MenuKey: uses.Contains(DifyInputSourceKind.MenuKey) ? context.MenuKey : null,
            Scene: uses.Contains(DifyInputSourceKind.Scene) ? context.Scene : null);
        return store.RememberAsync(follower, remembered, ct);
    }

    /// <summary>The friendly text for a question asked while required inputs have no value.</summary>
    public string MissingText(IReadOnlyList<DifyInputField> missing)
    {
        var texts = messages.CurrentValue;
        var mapping = Mapping();
        var lines = missing.Select(f => IsSettable(f, mapping) ? $"- {f.Label}：{InputCommands.SetCommand} {f.Variable} {Example(f, texts)}" : $"- {f.Label}");
        return Format(texts.InputsMissing, string.Join("\n", lines));
    }

    /// <summary><c>/set name value</c>; <c>/set</c> without a name or a value lists the follower's values.</summary>
    public async Task<string> SetAsync(Follower follower, string? name, string? value, CancellationToken ct)
    {
        if (name is null || value is null)
        {
            return await ListAsync(follower, ct);
        }

        var texts = messages.CurrentValue;
        var (field, problem) = await FindAsync(name, ct);
        if (field is null)
        {
            return problem!;
        }

        var checkedValue = Check(field, value.Trim(), texts, out var refusal);
        if (checkedValue is null)
        {
            return refusal!;
        }

        var saved = await store.GetAsync(follower, ct);
        var values = new Dictionary<string, string>(saved.Values, StringComparer.Ordinal) { [field.Variable] = checkedValue };
        await store.SaveAsync(follower, saved with { Values = values }, ct);
        return Format(texts.InputSet, field.Label, checkedValue);
    }

    /// <summary><c>/unset name</c>; without a name, lists the follower's values.</summary>
    public async Task<string> UnsetAsync(Follower follower, string? name, CancellationToken ct)
    {
        if (name is null)
        {
            return await ListAsync(follower, ct);
        }

        var (field, problem) = await FindAsync(name, ct);
        if (field is null)
        {
            return problem!;
        }

        var saved = await store.GetAsync(follower, ct);
        if (saved.Values.ContainsKey(field.Variable))
        {
            var values = new Dictionary<string, string>(saved.Values, StringComparer.Ordinal);
            values.Remove(field.Variable);
            await store.SaveAsync(follower, saved with { Values = values }, ct);
        }

        return Format(messages.CurrentValue.InputUnset, field.Label);
    }

    /// <summary>The follower's values and what else may be set; the "nothing to set" text when the app declares nothing.</summary>
    public async Task<string> ListAsync(Follower follower, CancellationToken ct) =>
        await SettingsAsync(follower, ct) ?? messages.CurrentValue.InputsNone;

    /// <summary>The help text, followed by the follower's values when the app has inputs a follower can set.</summary>
    public async Task<string> HelpAsync(Follower follower, string help, CancellationToken ct) =>
        await SettingsAsync(follower, ct) is { } settings ? $"{help}\n\n{settings}" : help;

    private async Task<string?> SettingsAsync(Follower follower, CancellationToken ct)
    {
        var settable = Settable((await ParametersAsync(ct))?.InputForm ?? []);
        if (settable.Count == 0)
        {
            return null;
        }

        var texts = messages.CurrentValue;
        var saved = await store.GetAsync(follower, ct);
        var lines = settable.Select(f =>
        {
            var value = saved.Values.GetValueOrDefault(f.Variable) ?? f.Default;
            var options = f.Options.Count > 0 ? $"（{string.Join("/", f.Options)}）" : "";
            var required = f.Required && string.IsNullOrEmpty(value) ? texts.InputRequired : "";
            return $"- {f.Label} {f.Variable}{options}：{(string.IsNullOrEmpty(value) ? texts.InputNotSet : value)}{required}";
        });
        return Format(texts.InputsList, string.Join("\n", lines));
    }

    private async Task<DifyAppParameters?> ParametersAsync(CancellationToken ct)
    {
        var reading = app.GetAsync(ct);
        if (reading.IsCompleted)
        {
            return await reading;
        }

        try
        {
            return await reading.WaitAsync(ParametersWait, time, ct);
        }
        catch (TimeoutException)
        {
            return app.Known;
        }
    }

    /// <summary>The declared field a follower may set by that name (or label); otherwise why not.</summary>
    private async Task<(DifyInputField? Field, string? Problem)> FindAsync(string name, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        var form = (await ParametersAsync(ct))?.InputForm ?? [];
        var mapping = Mapping();
        var settable = Settable(form);
        if (settable.Count == 0)
        {
            return (null, texts.InputsNone);
        }

        var field = form.FirstOrDefault(f => f.Variable == name)
            ?? form.FirstOrDefault(f => f.Variable.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? form.FirstOrDefault(f => f.Label == name);
        if (field is not null && mapping.ContainsKey(field.Variable))
        {
            return (null, Format(texts.InputFixed, field.Label));
        }

        if (field is null || !IsSettable(field, mapping))
        {
            var allowed = settable.Select(f => $"- {f.Variable}（{f.Label}）" + (f.Options.Count > 0 ? $"：{string.Join("/", f.Options)}" : ""));
            return (null, Format(texts.InputUnknown, name, string.Join("\n", allowed)));
        }

        return (field, null);
    }

    /// <summary>The value as it is kept (a select's option as declared), or null with the refusal.</summary>
    private static string? Check(DifyInputField field, string value, MessagesOptions texts, out string? refusal)
    {
        refusal = null;
        if (field.Type == DifyInputField.Select)
        {
            var option = field.Options.FirstOrDefault(o => o == value) ?? field.Options.FirstOrDefault(o => o.Equals(value, StringComparison.OrdinalIgnoreCase));
            if (option is null)
            {
                refusal = Format(texts.InputNotOption, field.Label, string.Join("/", field.Options));
            }

            return option;
        }

        if (field.Type == DifyInputField.Number && !decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            refusal = Format(texts.InputNotNumber, field.Label);
            return null;
        }

        var max = field.MaxLength ?? DefaultMaxLength;
        if (Length(value) > max)
        {
            refusal = Format(texts.InputTooLong, field.Label, max);
            return null;
        }

        return value;
    }

    private List<DifyInputField> Settable(IReadOnlyList<DifyInputField> form)
    {
        var mapping = Mapping();
        return form.Where(f => IsSettable(f, mapping)).ToList();
    }

    private static bool IsSettable(DifyInputField field, IReadOnlyDictionary<string, DifyInputSource> mapping) =>
        field.TakesText && !mapping.ContainsKey(field.Variable);

    /// <summary>The configured sources; the validator has refused to start with a source that does not parse.</summary>
    private Dictionary<string, DifyInputSource> Mapping()
    {
        var mapping = new Dictionary<string, DifyInputSource>(StringComparer.Ordinal);
        foreach (var (variable, configured) in dify.CurrentValue.Inputs)
        {
            if (DifyInputSource.Parse(configured) is { } source)
            {
                mapping[variable.Trim()] = source;
            }
        }

        return mapping;
    }

    private static string? Value(DifyInputSource source, Follower follower, string channel, MessageContext context, FollowerInputValues saved) =>
        source.Kind switch
        {
            DifyInputSourceKind.Channel => context.Channel ?? channel,
            DifyInputSourceKind.Account => follower.Account,
            DifyInputSourceKind.User => context.User ?? follower.Id,
            DifyInputSourceKind.Group => context.Group,
            DifyInputSourceKind.MessageType => context.MessageType,
            DifyInputSourceKind.MenuKey => context.MenuKey ?? saved.MenuKey,
            DifyInputSourceKind.Scene => context.Scene ?? saved.Scene,
            DifyInputSourceKind.Literal => source.Literal,
            _ => null,
        };

    private static string Example(DifyInputField field, MessagesOptions texts) =>
        field.Options.Count > 0 ? string.Join("/", field.Options) : texts.InputExample;

    /// <summary>Characters as Dify counts them (code points), so a value of emoji is not refused or cut short.</summary>
    private static int Length(string value) => value.EnumerateRunes().Count();

    private static string Truncate(string value, int max)
    {
        if (Length(value) <= max)
        {
            return value;
        }

        var builder = new StringBuilder();
        foreach (var rune in value.EnumerateRunes().Take(max))
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    private static string Format(string text, params object[] arguments) => string.Format(CultureInfo.InvariantCulture, text, arguments);
}
