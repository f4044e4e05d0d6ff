
namespace WinterAI.Domain.Channels.OfficialAccount.Menus;

/// <summary>
/// One menu button as configured under <c>Menu:Buttons</c>. A <c>click</c> button sends <see cref="Key"/> back as a
/// CLICK event (its reply is <c>Messages:Menu:{Key}</c>); a <c>view</c> button opens <see cref="Url"/>; a button with
/// <see cref="SubButtons"/> is a group.
/// </summary>
public sealed class MenuButton
{
    public string Name { get; set; } = "";

    /// <summary><c>click</c> or <c>view</c>; ignored for a group.</summary>
    public string Type { get; set; } = "click";

    public string? Key { get; set; }

    public string? Url { get; set; }

    public List<MenuButton> SubButtons { get; set; } = [];
}
