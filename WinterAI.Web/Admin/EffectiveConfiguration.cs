using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Domain.Channels.WeCom;
using WinterAI.Domain.Channels.WeComRobot;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Web.Admin;

/// <summary>
/// The configuration WinterAI actually runs with — defaults included, as bound into its options classes —
/// with every secret replaced by whether it is set.
/// </summary>
public sealed partial class EffectiveConfiguration(IServiceProvider services)
{
    /// <summary>Every configuration section and the options class it binds to (the documentation tests check README.md and .env.sample against it).</summary>
    internal static readonly (string Section, Type Options)[] Sections =
    [
        (WeChatOptions.Section, typeof(WeChatOptions)),
        (WeComOptions.Section, typeof(WeComOptions)),
        (WeComRobotOptions.Section, typeof(WeComRobotOptions)),
        (DifyOptions.Section, typeof(DifyOptions)),
        (RedisOptions.Section, typeof(RedisOptions)),
        (LimitsOptions.Section, typeof(LimitsOptions)),
        (MessagesOptions.Section, typeof(MessagesOptions)),
        (ChatOptions.Section, typeof(ChatOptions)),
        (AdminOptions.Section, typeof(AdminOptions)),
    ];

    private static readonly string[] SecretNames = ["Secret", "Token", "EncodingAESKey", "ApiKey", "SigningKey", "Password"];

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Report()
    {
        var report = new SortedDictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var (section, type) in Sections)
        {
            var accessor = services.GetService(typeof(IOptions<>).MakeGenericType(type));
            var value = accessor?.GetType().GetProperty(nameof(IOptions<object>.Value))?.GetValue(accessor);
            if (value is not null)
            {
                report[section] = Describe(value);
            }
        }

        return report;
    }

    private static SortedDictionary<string, object?> Describe(object options)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite))
        {
            var value = property.GetValue(options);
            values[property.Name] = IsSecret(property.Name) ? Redact(value as string) : Render(property.Name, value);
        }

        if (options is WeChatOptions weChat)
        {
            // The mode in force, not the (usually empty) setting: which callbacks the account accepts is what an operator asks.
            values[nameof(WeChatOptions.Mode)] = weChat.CallbackMode.ToString().ToLowerInvariant();
        }

        return values;
    }

    private static bool IsSecret(string name) => SecretNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase));

    private static string Redact(string? value) => string.IsNullOrEmpty(value) ? "(not set)" : "(set, redacted)";

    private static object? Render(string name, object? value) => value switch
    {
        null => null,
        string text when name == "Configuration" => CredentialsInConnectionString().Replace(text, "$1=(redacted)"),
        string or bool or int or long or double => value,
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => dictionary[k]?.ToString()),
        IEnumerable sequence => sequence.Cast<object?>().Select(item => item?.ToString()).ToList(),
        _ => value.ToString(),
    };

    // The ACL user name is not a secret on its own, but half of a credential: shown neither.
    [GeneratedRegex(@"\b(password|user)=[^,]*", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialsInConnectionString();
}
