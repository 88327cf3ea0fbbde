"""Issued invoices and credit notes as documents: PDF, Peppol UBL, Factur-X and payment data.

Pure modules, no ORM: the invoicing actions build an `InvoiceDocument` from the database and hand
it here, so documents are fast, testable against golden files and usable in bulk.
"""
