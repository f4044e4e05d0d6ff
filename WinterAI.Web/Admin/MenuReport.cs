using WinterAI.Domain.Channels.OfficialAccount.Menus;

namespace WinterAI.Web.Admin;

/// <param name="Buttons">The configured menu (Menu:Buttons, or the seed menu).</param>
/// <param name="Problems">Where the menu breaks WeChat's limits; publishing is refused while this is not empty.</param>
/// <param name="Document">The exact body that publishing sends to /cgi-bin/menu/create.</param>
public sealed record MenuReport(IReadOnlyList<MenuButton> Buttons, IReadOnlyList<string> Problems, string Document);
