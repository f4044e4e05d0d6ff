
namespace WinterAI.Domain.Channels.OfficialAccount.Menus;

/// <summary>The <c>Menu</c> configuration section: the official account's custom menu.</summary>
public sealed class MenuOptions
{
    public const string Section = "Menu";

    /// <summary>Top-level buttons (1–3). Empty in configuration → the seed menu: 帮助 (help), 网页版 (web), 请喝咖啡 (coffee).</summary>
    public List<MenuButton> Buttons { get; set; } = [];

    public static List<MenuButton> Seed() =>
    [
        new() { Name = "帮助", Type = "click", Key = "help" },
        new() { Name = "网页版", Type = "click", Key = "web" },
        new() { Name = "请喝咖啡", Type = "click", Key = "coffee" },
    ];
}
