using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>Start-up checks that name the offending key: a short key or a missing base URL would otherwise surface as broken links.</summary>
public sealed class ChatOptionsValidator : IValidateOptions<ChatOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatOptions options)
    {
        var failures = new List<string>();
        if (options.SigningKey.Length > 0 && options.SigningKey.Trim().Length < ChatOptions.MinSigningKeyLength)
        {
            failures.Add($"Chat:SigningKey must be at least {ChatOptions.MinSigningKeyLength} characters (e.g. the output of `openssl rand -base64 48`).");
        }

        if (options.PublicBaseUrl.Length > 0 && !SettingChecks.IsHttpUrl(options.PublicBaseUrl))
        {
            failures.Add("Chat:PublicBaseUrl must be an absolute http(s) URL such as https://bot.example.com.");
        }
        else if (options.IsEnabled && options.PublicBaseUrl.Length == 0)
        {
            failures.Add("Chat:PublicBaseUrl is required when Chat:SigningKey is set (links to the chat page are built from it).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
