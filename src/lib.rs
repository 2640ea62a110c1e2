//! `incident`: a shared, live war-room for running an incident from an SSH
//! jump box. See DESIGN.md for the practice it encodes.
//!
//! No `unsafe` outside the Linux wall-clock ticker (`tui::ticker`), whose
//! one registration with tokio carries its SAFETY note.
#![deny(unsafe_code)]

pub mod cli;
pub mod config;
pub mod demo;
pub mod drill;
pub mod export;
pub mod identity;
pub mod intake;
pub mod listen;
pub mod mcp;
pub mod model;
pub mod notify;
pub mod ops;
pub mod pager;
pub mod playbook;
pub mod sanitize;
pub mod store;
pub mod suggest;
pub mod systems;
pub mod template;
pub mod tui;
pub mod verbs;
pub mod web;
