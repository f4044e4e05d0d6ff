using System.Globalization;
using System.Text.Json;

namespace WinterAI.Domain.Dify;

/// <summary>
/// One variable of a Dify app's input form (<c>user_input_form</c> in <c>GET /parameters</c>), which Dify fills into
/// the app's prompt from the chat request's <c>inputs</c>.
/// </summary>
/// <param name="Type">Dify's control: <c>text-input</c>, <c>paragraph</c>, <c>select</c>, <c>number</c>, <c>checkbox</c>, <c>file</c>, <c>file-list</c>, …</param>
/// <param name="MaxLength">Longest value Dify accepts, in characters; null when the form sets none.</param>
/// <param name="Default">The form's default value; null when it has none.</param>
/// <param name="Options">The choices of a <c>select</c>; empty for other types.</param>
public sealed record DifyInputField(
    string Variable,
    string Label,
    string Type,
    bool Required,
    int? MaxLength,
    string? Default,
    IReadOnlyList<string> Options)
{
    public const string TextInput = "text-input";
    public const string Paragraph = "paragraph";
    public const string Select = "select";
    public const string Number = "number";

    /// <summary>A value of these types is text WinterAI can hold; files, checkboxes and external data tools are not.</summary>
    public bool TakesText => Type is TextInput or Paragraph or Select or Number;

    /// <summary>
    /// The form as Dify declares it: a list of one-key objects, <c>{"text-input": {"label", "variable", "required",
    /// "max_length", "default"}}</c>. Read leniently: an entry without a variable name is skipped, a missing label
    /// is the variable name, anything else missing is off.
    /// </summary>
    public static IReadOnlyList<DifyInputField> ParseForm(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("user_input_form", out var form)
            || form.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var fields = new List<DifyInputField>();
        foreach (var entry in form.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var control in entry.EnumerateObject())
            {
                if (control.Value.ValueKind == JsonValueKind.Object && Parse(control.Name, control.Value) is { } field
                    && fields.All(f => f.Variable != field.Variable))
                {
                    fields.Add(field);
                    break;
                }
            }
        }

        return fields;
    }

    static DifyInputField? Parse(string control, JsonElement body)
    {
        if (Text(body, "variable") is not { Length: > 0 } variable)
        {
            return null;
        }

        var type = Text(body, "type") is { Length: > 0 } declared ? declared : control;
        var options = body.TryGetProperty("options", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String ? o.GetString() : null).OfType<string>().Where(o => o.Length > 0).ToList()
            : [];
        return new DifyInputField(
            variable,
            Text(body, "label") is { Length: > 0 } label ? label : variable,
            type,
            body.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True,
            body.TryGetProperty("max_length", out var max) && max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out var length) && length > 0 ? length : null,
            Text(body, "default") is { Length: > 0 } value ? value : null,
            options);
    }

    /// <summary>A string, or a number or boolean written as text (Dify's defaults come in either form).</summary>
    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True or JsonValueKind.False => value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
                _ => null,
            }
            : null;
}
