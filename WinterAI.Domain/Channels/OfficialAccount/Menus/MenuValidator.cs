using System.Text;

namespace WinterAI.Domain.Channels.OfficialAccount.Menus;

/// <summary>WeChat's menu limits (PROTOCOL.md §2), checked before the platform is called so errors name the button.</summary>
public static class MenuValidator
{
    public const int MaxButtons = 3;
    public const int MaxSubButtons = 5;
    public const int MaxNameBytes = 16;
    public const int MaxSubNameBytes = 60;
    public const int MaxKeyBytes = 128;
    public const int MaxUrlBytes = 1024;

    /// <summary>Every problem found, each naming the button by its position; empty when the menu is publishable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<MenuButton> buttons)
    {
        var problems = new List<string>();
        if (buttons.Count is < 1 or > MaxButtons)
        {
            problems.Add($"A menu has 1 to {MaxButtons} buttons; this one has {buttons.Count}.");
        }

        for (var i = 0; i < buttons.Count; i++)
        {
            var button = buttons[i];
            var where = $"Menu:Buttons:{i}";
            CheckName(button.Name, MaxNameBytes, where, problems);
            if (button.SubButtons.Count == 0)
            {
                CheckAction(button, where, problems);
                continue;
            }

            if (button.SubButtons.Count > MaxSubButtons)
            {
                problems.Add($"{where} has {button.SubButtons.Count} sub-buttons; at most {MaxSubButtons} are allowed.");
            }

            for (var j = 0; j < button.SubButtons.Count; j++)
            {
                var sub = button.SubButtons[j];
                var subWhere = $"{where}:SubButtons:{j}";
                CheckName(sub.Name, MaxSubNameBytes, subWhere, problems);
                if (sub.SubButtons.Count > 0)
                {
                    problems.Add($"{subWhere} has sub-buttons of its own; menus are two levels deep at most.");
                }

                CheckAction(sub, subWhere, problems);
            }
        }

        return problems;
    }

    private static void CheckName(string name, int maxBytes, string where, List<string> problems)
    {
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes == 0 || bytes > maxBytes)
        {
            problems.Add($"{where}:Name must be 1 to {maxBytes} bytes (UTF-8; a Chinese character is 3); \"{name}\" is {bytes}.");
        }
    }

    private static void CheckAction(MenuButton button, string where, List<string> problems)
    {
        switch (button.Type)
        {
            case "click":
                var keyBytes = Encoding.UTF8.GetByteCount(button.Key ?? "");
                if (keyBytes is 0 or > MaxKeyBytes)
                {
                    problems.Add($"{where}:Key must be 1 to {MaxKeyBytes} bytes for a click button.");
                }

                break;
            case "view":
                if (!Uri.TryCreate(button.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || Encoding.UTF8.GetByteCount(button.Url!) > MaxUrlBytes)
                {
                    problems.Add($"{where}:Url must be an absolute http(s) URL of at most {MaxUrlBytes} bytes for a view button.");
                }

                break;
            default:
                problems.Add($"{where}:Type must be \"click\" or \"view\", not \"{button.Type}\".");
                break;
        }
    }
}
