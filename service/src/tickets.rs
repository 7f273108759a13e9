//! Tickets at the door: the QR code of a ticket (SVG for its page, PNG for mails), and reading a
//! ticket's check-in code on an event's scan page. The rules are in [`domain::tickets`].

use chrono::{DateTime, Utc};
use domain::audit::AuditAction;
use domain::tickets::{ScanResult, Standing, TicketCode};
use domain::{EventSlug, FieldError, Problem};
use qrcode::{Color, QrCode};
use store::Registration;

use crate::Services;
use crate::admin::{AdminError, SignedIn, event_with_registration};

/// Light modules around the code, as the QR standard asks (readers need the margin).
const QUIET_ZONE: usize = 4;

/// The modules of the QR code of `payload`, dark or not, row by row, with the quiet zone; and
/// the side's length in modules.
fn modules(payload: &str) -> Option<(Vec<bool>, usize)> {
    let code = QrCode::new(payload.as_bytes()).ok()?;
    let inner = code.width();
    let side = inner + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    let mut dark = vec![false; side * side];
    for (i, color) in colors.iter().enumerate() {
        let (x, y) = (i % inner, i / inner);
        dark[(y + QUIET_ZONE) * side + x + QUIET_ZONE] = *color == Color::Dark;
    }
    Some((dark, side))
}

/// The QR code of `payload` as an inline SVG (one path, scales to any size). Hidden from screen
/// readers: the page writes the code beside it. `None` if the payload is too long for a QR code.
pub fn qr_svg(payload: &str) -> Option<String> {
    let (dark, side) = modules(payload)?;
    let mut path = String::new();
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        path.push_str(&format!("M{} {}h1v1h-1z", i % side, i / side));
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\" aria-hidden=\"true\" focusable=\"false\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// Pixels per module in a mail's PNG: sharp at the size the mail shows it, and on paper.
const PNG_SCALE: usize = 8;

/// The QR code of `payload` as a greyscale PNG (for mails, which rarely show SVG). `None` if
/// the payload is too long for a QR code or the image cannot be written.
pub fn qr_png(payload: &str) -> Option<Vec<u8>> {
    let (dark, side) = modules(payload)?;
    let pixels = side * PNG_SCALE;
    let mut image = Vec::with_capacity(pixels * pixels);
    for y in 0..pixels {
        for x in 0..pixels {
            let module = dark[(y / PNG_SCALE) * side + x / PNG_SCALE];
            image.push(if module { 0 } else { 255 });
        }
    }
    let mut png = Vec::new();
    let size = u32::try_from(pixels).ok()?;
    let mut encoder = png::Encoder::new(&mut png, size, size);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&image).ok()?;
    writer.finish().ok()?;
    Some(png)
}

/// Whom a ticket belongs to, as the door sees them (no e-mail address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub registration_id: i64,
    pub name: String,
    pub organisation: Option<String>,
    pub erased: bool,
}

impl Holder {
    fn of(registration: &Registration) -> Holder {
        Holder {
            registration_id: registration.id,
            name: registration.name.clone(),
            organisation: registration.organisation.clone(),
            erased: registration.erased_at.is_some(),
        }
    }
}

/// What the door learns from a ticket: the result in large type, and whose it is (none for a
/// ticket of another event or an unknown code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub code: TicketCode,
    pub result: ScanResult,
    pub holder: Option<Holder>,
}

/// The code as the door typed or scanned it, or the problem next to the field.
fn parse_code(input: &str) -> Result<TicketCode, AdminError> {
    TicketCode::parse(input).ok_or_else(|| {
        AdminError::Invalid(vec![FieldError {
            field: domain::Field::Named("code".to_owned()),
            problem: if input.trim().is_empty() {
                Problem::Required
            } else {
                Problem::NotATicketCode
            },
        }])
    })
}

/// The standing of the ticket's registration for the event `event_id`, and whose it is.
fn standing(registration: Option<&Registration>, event_id: i64) -> (Standing, Option<Holder>) {
    match registration {
        None => (Standing::Unknown, None),
        Some(r) if r.event_id != event_id => (Standing::OtherEvent, None),
        Some(r) => (Standing::of(r.status, r.checked_in_at), Some(Holder::of(r))),
    }
}

/// Reads a ticket at the door of the event at `slug`: a seated holder not yet arrived is checked
/// in (logged), anyone else is only told where they stand. Reading it again is harmless.
pub async fn scan(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    input: &str,
    now: DateTime<Utc>,
) -> Result<Scanned, AdminError> {
    let code = parse_code(input)?;
    let event = event_with_registration(ctx, slug).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    let registration = write.registration_by_ticket(code.as_str()).await?;
    let (standing, holder) = standing(registration.as_ref(), event.id);
    let result = ScanResult::of(standing);
    if let (true, Some(holder)) = (result.records_arrival(), &holder) {
        write
            .set_checked_in(holder.registration_id, Some(now))
            .await?;
        write
            .log(
                holder.registration_id,
                by.actor(),
                AuditAction::CheckedIn,
                None,
                None,
                now,
            )
            .await?;
    }
    write.commit().await?;
    Ok(Scanned {
        code,
        result,
        holder,
    })
}

/// What a ticket would do at the door of the event at `slug`, without checking anyone in (the
/// scan page opened from a ticket's address). `None` when `input` is no code.
pub async fn look_up(
    ctx: &Services,
    slug: &EventSlug,
    input: &str,
) -> Result<Option<Scanned>, AdminError> {
    let Some(code) = TicketCode::parse(input) else {
        return Ok(None);
    };
    let event = event_with_registration(ctx, slug).await?;
    let registration = ctx.store.registration_by_ticket(code.as_str()).await?;
    let (standing, holder) = standing(registration.as_ref(), event.id);
    Ok(Some(Scanned {
        code,
        result: ScanResult::of(standing),
        holder,
    }))
}

/// The address of the event a ticket's code belongs to (a ticket's QR code opened with a
/// phone's camera app goes to that event's scan page). `None` for an unknown code.
pub async fn event_of(ctx: &Services, input: &str) -> Result<Option<EventSlug>, AdminError> {
    let Some(code) = TicketCode::parse(input) else {
        return Ok(None);
    };
    let Some(registration) = ctx.store.registration_by_ticket(code.as_str()).await? else {
        return Ok(None);
    };
    Ok(ctx
        .store
        .event_by_id(registration.event_id)
        .await?
        .map(|event| event.slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_draws_every_dark_module_once_inside_the_quiet_zone() {
        let (dark, side) =
            modules("https://events.example.org/admin/tickets/01Z0Z8JNV4").expect("fits a QR code");
        let svg = qr_svg("https://events.example.org/admin/tickets/01Z0Z8JNV4").expect("svg");
        assert_eq!(
            svg.matches("h1v1h-1z").count(),
            dark.iter().filter(|d| **d).count()
        );
        assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        // The margin stays light.
        for i in 0..side {
            assert!(!dark[i] && !dark[i * side] && !dark[side * side - 1 - i]);
        }
    }

    #[test]
    fn the_png_is_a_square_greyscale_image_of_the_code() {
        let png = qr_png("https://events.example.org/admin/tickets/01Z0Z8JNV4").expect("png");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        assert_eq!(info.width, info.height);
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.width as usize % PNG_SCALE, 0);
    }
}
