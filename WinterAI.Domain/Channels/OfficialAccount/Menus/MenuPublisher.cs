using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Channels.OfficialAccount.Menus;

/// <summary>Validates the configured menu against WeChat's limits and publishes it with <c>/cgi-bin/menu/create</c>.</summary>
public sealed class MenuPublisher(IOptionsMonitor<MenuOptions> menu, WeChatApiClient api)
{
    public IReadOnlyList<MenuButton> Buttons => menu.CurrentValue.Buttons;

    public IReadOnlyList<string> Problems => MenuValidator.Validate(Buttons);

    public string Document => MenuDocument.Build(Buttons);

    /// <summary>Throws <see cref="MenuValidationException"/> before calling WeChat when the menu breaks a limit.</summary>
    public async Task PublishAsync(CancellationToken ct)
    {
        var problems = Problems;
        if (problems.Count > 0)
        {
            throw new MenuValidationException(problems);
        }

        await api.CreateMenuAsync(Document, ct);
    }
}
