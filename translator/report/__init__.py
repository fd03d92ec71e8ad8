"""Renderers for what svconv reports. Imports: diagnostics, loss."""
