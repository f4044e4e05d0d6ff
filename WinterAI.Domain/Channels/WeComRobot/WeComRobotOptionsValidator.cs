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
            failures.Add("WeComRobot:Mode: websocket (long-connection) mode is not available in this version; use webhook with a receive URL.");
        }
        else if (mode != WeComRobotOptions.WebhookMode)
        {
            failures.Add($"WeComRobot:Mode must be webhook or websocket, not '{options.Mode}'.");
        }

        if (string.IsNullOrWhiteSpace(options.EncodingAESKey))
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
}
