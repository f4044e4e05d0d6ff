using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>Checks the <c>WeComRobot</c> section at start-up; every failure names its key.</summary>
public sealed class WeComRobotOptionsValidator : IValidateOptions<WeComRobotOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComRobotOptions options)
    {
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var mode = options.Mode.Trim().ToLowerInvariant();
        if (mode == WeComRobotOptions.WebSocketMode)
        {
            CheckLongConnection(options, failures);
        }
        else if (mode != WeComRobotOptions.WebhookMode)
        {
            failures.Add($"WeComRobot:Mode must be webhook or websocket, not '{options.Mode}'.");
        }
        else if (string.IsNullOrWhiteSpace(options.EncodingAESKey))
        {
            failures.Add("WeComRobot:EncodingAESKey is required when WeComRobot:Token is set (the robot's callbacks are always encrypted).");
        }
        else
        {
            SettingChecks.CheckAesKey(options.EncodingAESKey, "WeComRobot:EncodingAESKey", failures);
        }

        if (options.GroupContext is not (WeComRobotOptions.MemberContext or WeComRobotOptions.GroupWideContext))
        {
            failures.Add($"WeComRobot:GroupContext must be member or group, not '{options.GroupContext}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Long-connection mode needs the robot's BotID and Secret and a ws:// or wss:// endpoint; no Token or EncodingAESKey.</summary>
    private static void CheckLongConnection(WeComRobotOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.BotId))
        {
            failures.Add("WeComRobot:BotId is required when WeComRobot:Mode is websocket (the BotID on the robot's page).");
        }

        if (string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add("WeComRobot:Secret is required when WeComRobot:Mode is websocket (the Secret on the robot's page).");
        }

        if (!Uri.TryCreate(options.WebSocketUrl, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss"))
        {
            failures.Add($"WeComRobot:WebSocketUrl must be a ws:// or wss:// URL, not '{options.WebSocketUrl}'.");
        }
    }
}
